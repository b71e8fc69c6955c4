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

  /** Completes with the exit code once the process is gone; never fails. */
  Future<Integer> exited();

  /** Ends the process now (SIGKILL), or as soon as it exists; its exit completes {@link #exited()}. */
  void kill();
}
