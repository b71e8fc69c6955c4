package io.warmpool.pool;

/** What the pool tells its verticle, on the pool's event loop. */
interface PoolListener {

  /** Something that the state stream shows may have changed. */
  void stateChanged();

  /** A job was reported started by its process. */
  void jobStarted(Job job);
}
