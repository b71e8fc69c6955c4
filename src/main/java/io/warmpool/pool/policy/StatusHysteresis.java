package io.warmpool.pool.policy;

import io.warmpool.bus.WorkerStatus;

/**
 * Status from load without flapping: a worker becomes full at the threshold but becomes
 * available again only below {@code threshold − hysteresis} (LiveKit agents #7102).
 */
public final class StatusHysteresis {

  public static WorkerStatus next(WorkerStatus current, double load, double threshold, double hysteresis) {
    if (current == WorkerStatus.DRAINING) {
      return WorkerStatus.DRAINING;
    }
    if (current == WorkerStatus.FULL) {
      return load < threshold - hysteresis ? WorkerStatus.AVAILABLE : WorkerStatus.FULL;
    }
    return load >= threshold ? WorkerStatus.FULL : WorkerStatus.AVAILABLE;
  }

  private StatusHysteresis() {
  }
}
