package io.warmpool.embed;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs the client's work on the context it belongs to: the caller's, so that a verticle's
 * callbacks and stream handlers run on its own event loop, as they do for Vert.x's own clients.
 */
final class OnContext {

  /** Runs {@code task} now when on {@code context}, else as soon as the context gets to it. */
  static void run(Context context, Runnable task) {
    if (Vertx.currentContext() == context) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  private OnContext() {
  }
}
