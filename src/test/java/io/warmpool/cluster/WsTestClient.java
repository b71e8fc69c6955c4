package io.warmpool.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.JobEvents;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static io.warmpool.cluster.ClusterNode.await;
import static io.warmpool.cluster.ClusterNode.waitFor;

/** A WebSocket client of one node's {@code /ws} that keeps every frame it gets. */
final class WsTestClient implements AutoCloseable {

  final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  private final WebSocketClient client;
  private final WebSocket ws;

  private WsTestClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
  }

  static WsTestClient connect(Vertx vertx, int port) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    // the handler is set where the connection completes, on its event loop, so no frame is missed
    return await(client.connect(port, "127.0.0.1", "/ws").map(ws -> new WsTestClient(client, ws)));
  }

  void submit(String ref, JsonObject payload) throws Exception {
    await(ws.writeTextMessage(new JsonObject().put("op", "submit").put("ref", ref).put("payload", payload).encode()));
  }

  void send(JsonObject frame) throws Exception {
    await(ws.writeTextMessage(frame.encode()));
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

  JsonObject event(String jobId, String event) throws Exception {
    return awaitFrame(event + " of " + jobId, f -> "job".equals(f.getString("type")) && jobId.equals(f.getString("jobId"))
      && event.equals(f.getString("event")));
  }

  JsonObject terminal(String jobId) throws Exception {
    return awaitFrame("a terminal event of " + jobId, f -> "job".equals(f.getString("type"))
      && jobId.equals(f.getString("jobId")) && JobEvents.isTerminal(f));
  }

  @Override
  public void close() throws Exception {
    await(ws.close());
    await(client.close());
  }
}
