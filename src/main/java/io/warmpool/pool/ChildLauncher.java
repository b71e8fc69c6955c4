package io.warmpool.pool;

import io.vertx.core.Future;

/**
 * Starts the pool's children. The worker's is {@link ProcessLauncher} (OS processes that
 * connect back over loopback); the pool's tests use one that keeps children in memory, so
 * they run the pool's logic in milliseconds.
 */
interface ChildLauncher {

  /** Gets ready to launch (binds what children connect to); called once, on the pool's context. */
  Future<Void> open();

  /**
   * Starts one child. Returns at once; the child's progress comes through its futures. What
   * it prints goes to {@code log}.
   */
  LaunchedChild launch(ChildLog log);

  Future<Void> close();
}
