package io.warmpool;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.JobEvents;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static io.warmpool.Await.await;
import static io.warmpool.Await.waitFor;

/** A real WebSocket client of a worker's {@code /ws} on 127.0.0.1 that keeps every frame it received. */
public final class WsClient implements AutoCloseable {

  public final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  public final WebSocket ws;
  private final WebSocketClient client;
  public volatile boolean closed;
  public volatile Short closeCode;
  public volatile String closeReason;

  private WsClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
    ws.closeHandler(v -> {
      closeCode = ws.closeStatusCode();
      closeReason = ws.closeReason();
      closed = true;
    });
  }

  public static WsClient connect(Vertx vertx, int port) throws Exception {
    return connect(vertx, port, "/ws", null);
  }

  public static WsClient connect(Vertx vertx, int port, String uri, String bearer) throws Exception {
    return connect(vertx, new WebSocketClientOptions(), port, uri, bearer);
  }

  /** @param options the client's options; its frame and message limits are raised to 1 and 4 MiB */
  public static WsClient connect(Vertx vertx, WebSocketClientOptions options, int port, String uri, String bearer)
    throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions(options).setMaxFrameSize(1 << 20)
      .setMaxMessageSize(1 << 22));
    WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
    if (bearer != null) {
      connect.addHeader("Authorization", "Bearer " + bearer);
    }
    // handlers are set where the connection completes, on its event loop, so no frame is missed
    return await(client.connect(connect).map(ws -> new WsClient(client, ws)));
  }

  public void send(JsonObject frame) throws Exception {
    await(ws.writeTextMessage(frame.encode()));
  }

  public void sendText(String text) throws Exception {
    await(ws.writeTextMessage(text));
  }

  public void submit(String ref, JsonObject payload) throws Exception {
    send(new JsonObject().put("op", "submit").put("ref", ref).put("payload", payload));
  }

  public JsonObject awaitFrame(String what, Predicate<JsonObject> match) throws Exception {
    waitFor(what, () -> frames.stream().anyMatch(match));
    return frames.stream().filter(match).findFirst().orElseThrow();
  }

  public JsonObject reply(String ref) throws Exception {
    return awaitFrame("a reply to " + ref, f -> ref.equals(f.getString("ref")));
  }

  public List<JsonObject> jobFrames(String jobId) {
    return frames.stream().filter(f -> isJobFrame(f, jobId)).toList();
  }

  public JsonObject event(String jobId, String event) throws Exception {
    return awaitFrame(event + " of " + jobId, f -> isJobFrame(f, jobId) && event.equals(f.getString("event")));
  }

  public JsonObject terminal(String jobId) throws Exception {
    return awaitFrame("a terminal event of " + jobId, f -> isJobFrame(f, jobId) && JobEvents.isTerminal(f));
  }

  private static boolean isJobFrame(JsonObject frame, String jobId) {
    return "job".equals(frame.getString("type")) && jobId.equals(frame.getString("jobId"));
  }

  @Override
  public void close() throws Exception {
    if (!closed) {
      await(ws.close());
    }
    await(client.close());
  }
}
