package io.warmpool.pool;

import io.vertx.core.json.JsonObject;

/**
 * How many processes are in each state. Always derived from the processes themselves
 * ({@link #of}), never kept in counters that could drift from them.
 *
 * @param returning the running processes that go back to the idle queue when their job ends
 */
record PoolCounts(int initializing, int idle, int running, int exiting, int returning) {

  static PoolCounts of(Iterable<SupervisedChild> processes) {
    int initializing = 0;
    int idle = 0;
    int running = 0;
    int exiting = 0;
    int returning = 0;
    for (SupervisedChild process : processes) {
      switch (process.state()) {
        case SPAWNED, INITIALIZING -> initializing++;
        case IDLE -> idle++;
        case RUNNING -> {
          running++;
          if (process.returnsAfterJob()) {
            returning++;
          }
        }
        case EXITING -> exiting++;
        case REAPED -> {
        }
      }
    }
    return new PoolCounts(initializing, idle, running, exiting, returning);
  }

  /** Every process not reaped yet: what {@code pool.maxProcesses} caps. */
  int alive() {
    return initializing + idle + running + exiting;
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("idle", idle)
      .put("initializing", initializing)
      .put("running", running)
      .put("exiting", exiting)
      .put("processes", alive());
  }
}
