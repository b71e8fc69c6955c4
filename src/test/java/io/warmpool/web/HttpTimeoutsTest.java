package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.Await;
import io.warmpool.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Half-sent requests and idle connections do not hold the worker's connections (its file
 * descriptors) for ever: web.requestTimeoutMs and web.idleTimeoutMs close them.
 */
@ExtendWith(VertxExtension.class)
class HttpTimeoutsTest {

  private static final long REQUEST_TIMEOUT_MS = 1000;

  private WebFixture worker;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (worker != null) {
      worker.close();
    }
  }

  private Socket open() throws IOException {
    Socket socket = new Socket("127.0.0.1", worker.port);
    socket.setSoTimeout((int) Await.DEFAULT.toMillis());
    sockets.add(socket);
    return socket;
  }

  private static void write(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads until the worker closes the connection; what it sent before (nothing for a half-sent request). */
  private static String readUntilClosed(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder text = new StringBuilder();
    try {
      for (int b; (b = in.read()) >= 0; ) {
        text.append((char) b);
      }
    } catch (SocketException reset) {
      // closed by the worker with data unread: closed all the same
    }
    return text.toString();
  }

  @Test
  void halfSentRequestsAreClosed(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject().put("requestTimeoutMs", REQUEST_TIMEOUT_MS)));
    List<Socket> halfSent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Socket socket = open();
      write(socket, "GET /worker HTTP/1.1\r\nHost: " + worker.ownHost() + "\r\n");
      halfSent.add(socket);
    }
    Socket silent = open();
    Socket trickle = open();
    write(trickle, "GET /worker HTTP/1.1\r\n");

    // one more header line now and then: the connection is never idle, the request never whole
    long start = System.nanoTime();
    while (!trickle.isClosed() && (System.nanoTime() - start) / 1_000_000 < 4 * REQUEST_TIMEOUT_MS) {
      try {
        write(trickle, "X-Slow: " + System.nanoTime() + "\r\n");
      } catch (IOException closed) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(worker.get("/health", null).status()).as("/health answers meanwhile").isEqualTo(200);

    for (Socket socket : halfSent) {
      assertThat(readUntilClosed(socket)).isEmpty();
    }
    assertThat(readUntilClosed(silent)).isEmpty();
    assertThat(readUntilClosed(trickle)).isEmpty();
    WebFixture.waitFor("every one counted", () -> worker.metric("warmpool.web.request.timeouts") == 52);
  }

  /** Closed like any, but neither counted nor logged: a client with no next request is not misbehaving. */
  @Test
  void aKeptAliveConnectionHasTheSameTimeForItsNextRequest(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject().put("requestTimeoutMs", REQUEST_TIMEOUT_MS)));
    Socket socket = open();

    write(socket, "GET /health HTTP/1.1\r\nHost: " + worker.ownHost() + "\r\n\r\n");
    String answer = readUntilClosed(socket);

    assertThat(answer).startsWith("HTTP/1.1 200").contains("\"status\"");
    assertThat(worker.metric("warmpool.web.request.timeouts")).isZero();
  }

  @Test
  void aWebSocketIsNotHeldToTheRequestTimeout(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject().put("requestTimeoutMs", 200)));
    WsClient client = worker.client();

    Thread.sleep(1000);

    assertThat(client.closed).isFalse();
    client.submit("still", new JsonObject().put("op", "echo").put("value", 1));
    assertThat(client.reply("still").getString("type")).isEqualTo("accepted");
    assertThat(worker.metric("warmpool.web.request.timeouts")).isZero();
  }

  @Test
  void aConnectionOnWhichNothingMovesIsClosedAfterTheIdleTimeout(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject()
      .put("requestTimeoutMs", 60_000).put("pingIntervalMs", 100).put("pingTimeoutMs", 60_000).put("idleTimeoutMs", 500)));
    Socket socket = open();
    write(socket, "GET /worker HTTP/1.1\r\n");

    assertThat(readUntilClosed(socket)).isEmpty();
    assertThat(worker.metric("warmpool.web.request.timeouts")).isZero();
  }
}
