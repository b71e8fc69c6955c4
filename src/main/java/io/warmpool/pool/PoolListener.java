package io.warmpool.pool;

/** What the pool tells its verticle, on the pool's event loop. */
interface PoolListener {

  /** Something that the state stream shows may have changed. */
  void stateChanged();

  /** A process is being started. */
  void processSpawned(SpawnCause cause);

  /** A process was reaped. */
  void processExited(ExitCause cause);

  /** A child became ready, having used {@code cpuSeconds} of CPU to start. */
  void spawnCpu(double cpuSeconds);

  /** A child that was ready left without being handed a job; its start had cost {@code cpuSeconds}. */
  void spawnWasted(ExitCause cause, double cpuSeconds);

  /** The pool wanted another process but {@code pool.maxProcesses} were alive (counted once per episode). */
  void maxProcessesReached();
}
