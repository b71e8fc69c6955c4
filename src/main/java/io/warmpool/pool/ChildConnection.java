package io.warmpool.pool;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.warmpool.protocol.ChildMessage;
import io.warmpool.protocol.ProtocolCodec;
import io.warmpool.protocol.WorkerMessage;

/**
 * The worker's end of one child's protocol channel, once the child said {@code hello}: a
 * loopback socket for a real child ({@link ChildChannel}), memory for the pool's tests. Every
 * handler runs on the pool's event loop.
 */
interface ChildConnection {

  default Future<Void> send(WorkerMessage message) {
    byte[] frame;
    try {
      frame = ProtocolCodec.encode(message);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return sendFrame(frame);
  }

  /**
   * A message encoded already ({@link ProtocolCodec#encode}, newline included), sent as it is: a
   * job's {@code start} is encoded once, at its admission, where its size is checked.
   */
  Future<Void> sendFrame(byte[] frame);

  /** Every message the child sends, typed; one of a type this worker does not know never comes here. */
  void messageHandler(Handler<ChildMessage> handler);

  /** A frame the protocol does not allow; the child is killed for it. */
  void protocolErrorHandler(Handler<String> handler);

  void closeHandler(Handler<Void> handler);

  void close();
}
