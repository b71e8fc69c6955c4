package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static io.warmpool.web.WebFixture.await;
import static io.warmpool.web.WebFixture.waitFor;

/** A real WebSocket client on 127.0.0.1 that keeps every frame it received. */
final class WsClient implements AutoCloseable {

  final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  final WebSocket ws;
  private final WebSocketClient client;
  volatile boolean closed;
  volatile Short closeCode;

  private WsClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
    ws.closeHandler(v -> {
      closeCode = ws.closeStatusCode();
      closed = true;
    });
  }

  static WsClient connect(Vertx vertx, int port, String uri, String bearer) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
      .setMaxMessageSize(1 << 22));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
    if (bearer != null) {
      options.addHeader("Authorization", "Bearer " + bearer);
    }
    // handlers are set where the connection completes, on its event loop, so no frame is missed
    return await(client.connect(options).map(ws -> new WsClient(client, ws)));
  }

  void send(JsonObject frame) throws Exception {
    await(ws.writeTextMessage(frame.encode()));
  }

  void sendText(String text) throws Exception {
    await(ws.writeTextMessage(text));
  }

  JsonObject awaitFrame(String what, Predicate<JsonObject> match) throws Exception {
    waitFor(what, () -> frames.stream().anyMatch(match));
    return frames.stream().filter(match).findFirst().orElseThrow();
  }

  JsonObject reply(String ref) throws Exception {
    return awaitFrame("a reply to " + ref, f -> ref.equals(f.getString("ref")));
  }

  List<JsonObject> jobFrames(String jobId) {
    return frames.stream().filter(f -> "job".equals(f.getString("type")) && jobId.equals(f.getString("jobId"))).toList();
  }

  JsonObject terminal(String jobId) throws Exception {
    return awaitFrame("a terminal event of " + jobId, f -> "job".equals(f.getString("type"))
      && jobId.equals(f.getString("jobId")) && List.of("completed", "failed", "cancelled").contains(f.getString("event")));
  }

  @Override
  public void close() throws Exception {
    if (!closed) {
      await(ws.close());
    }
    await(client.close());
  }
}
