package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.Await;
import io.warmpool.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker pings every WebSocket client; one that does not answer (gone without a word, or
 * not reading at all) is closed, one that answers (every browser and WebSocket library does so
 * by itself) stays however long it is idle.
 */
@ExtendWith(VertxExtension.class)
class WebSocketPingTest {

  private static final long INTERVAL_MS = 200;
  private static final long TIMEOUT_MS = 1500;

  private WebFixture worker;

  @AfterEach
  void close() throws Exception {
    if (worker != null) {
      worker.close();
    }
  }

  private record Frame(int opcode, byte[] payload) {
    int closeCode() {
      return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }

    String closeReason() {
      return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }
  }

  /** A frame from the server (never masked), or {@code null} at the end of the stream. */
  private static Frame readFrame(DataInputStream in) throws IOException {
    int first;
    try {
      first = in.readUnsignedByte();
    } catch (EOFException e) {
      return null;
    }
    int second = in.readUnsignedByte();
    long length = second & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return new Frame(first & 0x0f, payload);
  }

  @Test
  void aClientThatDoesNotAnswerPingsIsClosed(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject()
      .put("pingIntervalMs", INTERVAL_MS).put("pingTimeoutMs", TIMEOUT_MS)));

    // a WebSocket opened by hand that reads what comes and never answers
    try (Socket socket = new Socket("127.0.0.1", worker.port)) {
      socket.setSoTimeout((int) Await.DEFAULT.toMillis());
      String upgrade = "GET /ws HTTP/1.1\r\nHost: " + worker.ownHost() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
      socket.getOutputStream().write(upgrade.getBytes(StandardCharsets.US_ASCII));
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.readUnsignedByte());
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 101");

      List<Frame> frames = new ArrayList<>();
      Frame frame;
      do {
        frame = readFrame(in);
        frames.add(frame);
      } while (frame != null && frame.opcode() != 0x8);

      assertThat(frames).as("pings, then the close").hasSizeGreaterThanOrEqualTo(2);
      assertThat(frames.subList(0, frames.size() - 1)).allMatch(f -> f.opcode() == 0x9);
      assertThat(frame).isNotNull();
      assertThat(frame.closeCode()).isEqualTo(1001);
      assertThat(frame.closeReason()).isEqualTo("no pong within web.pingTimeoutMs");
    }
    assertThat(worker.metric("warmpool.ws.silent.closed")).isEqualTo(1);
  }

  @Test
  void aClientThatAnswersStaysOpenWhileIdle(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject()
      .put("pingIntervalMs", INTERVAL_MS).put("pingTimeoutMs", TIMEOUT_MS)));
    WsClient client = worker.client();

    Thread.sleep(2 * TIMEOUT_MS);

    assertThat(client.closed).isFalse();
    client.submit("still", new JsonObject().put("op", "echo").put("value", 1));
    assertThat(client.reply("still").getString("type")).isEqualTo("accepted");
    assertThat(worker.metric("warmpool.ws.silent.closed")).isZero();
  }
}
