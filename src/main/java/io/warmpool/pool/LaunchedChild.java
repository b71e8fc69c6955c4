package io.warmpool.pool;

import io.vertx.core.Future;

/**
 * One child as its launcher started it: the OS process (or a test's stand-in), its channel once
 * it connects, and its exit. Every future completes on the pool's event loop.
 */
interface LaunchedChild {

  /** Completes with the pid once the process exists; fails if it could not be started. */
  Future<Long> started();

  /** Completes once the child has connected and said {@code hello}. */
  Future<ChildConnection> connected();

  /**
   * Completes with the exit code once the process is gone, and with it whatever it started and
   * the thread that read its output; never fails.
   */
  Future<Integer> exited();

  /**
   * Ends the process now (SIGKILL), or as soon as it exists, and every process it started
   * ({@link ProcessTree}); its exit completes {@link #exited()}.
   */
  void kill();

  /** Its OS processes, once it has started; {@code null} before, and for a child that is no OS process. */
  default ProcessTree tree() {
    return null;
  }
}
