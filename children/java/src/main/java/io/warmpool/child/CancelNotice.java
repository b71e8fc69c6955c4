package io.warmpool.child;

import java.util.ArrayList;
import java.util.List;

/**
 * A job's cancel flag and the callbacks waiting for it, thread-safe. Who cancels decides on which
 * thread the callbacks run ({@link #cancel()} hands them back): the runtime runs them off its
 * reader thread, a test's harness runs them at once.
 */
final class CancelNotice {

  // Guarded by this.
  private boolean cancelled;
  private final List<Runnable> callbacks = new ArrayList<>();

  synchronized boolean isCancelled() {
    return cancelled;
  }

  /** Keeps {@code callback} for the cancel; runs it at once, on the calling thread, if it came already. */
  void onCancel(Runnable callback) {
    synchronized (this) {
      if (!cancelled) {
        callbacks.add(callback);
        return;
      }
    }
    callback.run();
  }

  /** Marks it cancelled; the callbacks to run now, none when it was cancelled already. */
  synchronized List<Runnable> cancel() {
    if (cancelled) {
      return List.of();
    }
    cancelled = true;
    List<Runnable> waiting = List.copyOf(callbacks);
    callbacks.clear();
    return waiting;
  }
}
