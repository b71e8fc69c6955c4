package io.warmpool.pool;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/**
 * The worker's end of one child's protocol channel, once the child said {@code hello}: a
 * loopback socket for a real child ({@link ChildChannel}), memory for the pool's tests. Every
 * handler runs on the pool's event loop.
 */
interface ChildConnection {

  Future<Void> send(JsonObject message);

  void messageHandler(Handler<JsonObject> handler);

  /** A frame the protocol does not allow; the child is killed for it. */
  void protocolErrorHandler(Handler<String> handler);

  void closeHandler(Handler<Void> handler);

  void close();
}
