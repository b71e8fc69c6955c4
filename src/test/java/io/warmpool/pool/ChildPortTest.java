package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.warmpool.pool.PoolFixture.pairs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The child port (the loopback IPC listener) is reachable by every local process. A connection
 * that does not say a valid {@code hello} within {@code pool.initTimeoutMs} is closed, so silent
 * or half-sent connections never pile up, and real children still start meanwhile.
 */
@ExtendWith(VertxExtension.class)
class ChildPortTest {

  private static final long INIT_TIMEOUT_MS = 3000;

  private PoolFixture fixture;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  /** Whether the other end has closed the connection; never blocks for more than a millisecond. */
  private static boolean closedByWorker(Socket socket) {
    try {
      InputStream in = socket.getInputStream();
      socket.setSoTimeout(1);
      return in.read() < 0;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Test
  void connectionsThatSayNoValidHelloAreClosedAndChildrenStillStart(Vertx vertx) throws Exception {
    Path script = Path.of("src/test/resources/children/settings_child.py").toAbsolutePath();
    fixture = PoolFixture.start(vertx, new JsonObject()
      .put("pool", pairs("maxIdle", 1, "maxJobsPerProcess", 1, "initTimeoutMs", INIT_TIMEOUT_MS))
      .put("child", new JsonObject().put("command", new JsonArray().add("python3").add(script.toString()))));
    String portJob = fixture.run(pairs("op", "env", "name", "WARMPOOL_IPC_PORT"));
    int port = Integer.parseInt(fixture.awaitTerminal(portJob).getJsonObject("result").getString("value"));

    // more than ChannelServer.MAX_PENDING: silent ones, half a line, a long unterminated line, a bad hello
    int count = 3 * ChannelServer.MAX_PENDING;
    for (int i = 0; i < count; i++) {
      Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
      sockets.add(socket);
      switch (i % 4) {
        case 1 -> socket.getOutputStream().write("{\"type\":\"hello\",\"tok".getBytes(StandardCharsets.UTF_8));
        case 2 -> socket.getOutputStream().write(new byte[ChannelServer.HELLO_MAX_BYTES * 2]);
        case 3 -> socket.getOutputStream().write(
          "{\"type\":\"hello\",\"token\":\"guessed\",\"pid\":1,\"runtime\":\"x\"}\n".getBytes(StandardCharsets.UTF_8));
        default -> { }
      }
    }

    // children started while those are open connect and run jobs as usual
    for (int i = 0; i < 3; i++) {
      String jobId = fixture.run(pairs("op", "echo", "value", i));
      assertThat(fixture.awaitTerminal(jobId).getString("event")).isEqualTo("completed");
    }

    Await.waitFor("every connection without a valid hello closed by the worker",
      Duration.ofMillis(INIT_TIMEOUT_MS + 10_000), () -> sockets.stream().allMatch(ChildPortTest::closedByWorker));
  }
}
