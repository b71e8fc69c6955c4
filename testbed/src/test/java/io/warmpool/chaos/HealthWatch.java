package io.warmpool.chaos;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Asks each worker for its info every {@link #PERIOD_MS} during the run: a worker that stays
 * healthy answers at once and is never {@code degraded}. Keeps the worst seen.
 */
final class HealthWatch {

  static final long PERIOD_MS = 500;

  private final List<ChaosWorker> workers;
  private volatile boolean stopped;
  volatile long maxLatencyMs;
  volatile int maxConsecutiveInitFailures;
  volatile boolean degradedSeen;
  volatile String firstDegraded;

  HealthWatch(List<ChaosWorker> workers) {
    this.workers = workers;
  }

  void run() throws Exception {
    while (!stopped) {
      for (ChaosWorker worker : workers) {
        long start = System.nanoTime();
        JsonObject info = worker.info();
        maxLatencyMs = Math.max(maxLatencyMs, (System.nanoTime() - start) / 1_000_000);
        maxConsecutiveInitFailures = Math.max(maxConsecutiveInitFailures,
          info.getJsonObject("spawn").getInteger("consecutiveInitFailures", 0));
        if (info.getBoolean("degraded", false) && !degradedSeen) {
          degradedSeen = true;
          firstDegraded = worker.name + ": " + info.encode();
        }
      }
      // the watch's period, not a wait for an outcome
      Thread.sleep(PERIOD_MS);
    }
  }

  void stop() {
    stopped = true;
  }
}
