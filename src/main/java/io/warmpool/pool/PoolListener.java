package io.warmpool.pool;

/** What the pool tells its verticle, on the pool's event loop. */
interface PoolListener {

  /** Something that the state stream shows may have changed. */
  void stateChanged();

  /** A process is being started; {@code cause} is {@code demand} (a job waits) or {@code target} (the idle target). */
  void processSpawned(String cause);

  /** A process was reaped. */
  void processExited(ExitCause cause);

  /** The pool wanted another process but {@code pool.maxProcesses} were alive (counted once per episode). */
  void maxProcessesReached();
}
