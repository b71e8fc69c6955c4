package io.warmpool.pool;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.warmpool.protocol.ChildMessage;
import io.warmpool.protocol.WorkerMessage;

/**
 * The worker's end of one child's protocol channel, once the child said {@code hello}: a
 * loopback socket for a real child ({@link ChildChannel}), memory for the pool's tests. Every
 * handler runs on the pool's event loop.
 */
interface ChildConnection {

  Future<Void> send(WorkerMessage message);

  /** Every message the child sends, typed; one of a type this worker does not know never comes here. */
  void messageHandler(Handler<ChildMessage> handler);

  /** A frame the protocol does not allow; the child is killed for it. */
  void protocolErrorHandler(Handler<String> handler);

  void closeHandler(Handler<Void> handler);

  void close();
}
