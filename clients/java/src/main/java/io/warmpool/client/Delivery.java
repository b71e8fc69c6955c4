package io.warmpool.client;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Where the caller's code runs: futures are completed on the client's delivery threads, so a
 * caller's {@code thenAccept} that blocks never holds up the thread that reads the socket.
 */
final class Delivery {

  static void run(Executor delivery, Runnable task) {
    try {
      delivery.execute(task);
    } catch (RejectedExecutionException closed) {
      // the client has shut its delivery threads: what is left runs on this thread
      task.run();
    }
  }

  private Delivery() {
  }
}
