package io.warmpool.pool;

import io.warmpool.bus.RejectReason;
import io.warmpool.bus.WorkerStatus;
import io.warmpool.config.WorkerConfig;

/**
 * Decides whether a job may be accepted, from the averaged load plus the load of jobs accepted
 * since it was measured, and keeps the worker's status with its hysteresis.
 */
final class Admission {

  private final double threshold;
  private final double hysteresis;
  private final Reservations reservations;
  private WorkerStatus status = WorkerStatus.AVAILABLE;
  private double load;
  private double loadPerJobHint;
  private double measuredLoadPerJob;

  Admission(WorkerConfig.Load config) {
    this.threshold = config.threshold();
    this.hysteresis = config.hysteresis();
    this.reservations = new Reservations(config.window());
  }

  /**
   * A new averaged load sample.
   *
   * @param loadPerJobHint what the source expects one job to add, 0 when it cannot tell; then
   *                       jobs accepted between samples reserve nothing
   * @param runningJobs    jobs running when it was taken, to learn what one job weighs
   */
  void onSample(double load, double loadPerJobHint, int runningJobs) {
    this.load = load;
    this.loadPerJobHint = loadPerJobHint;
    // a source that cannot tell what one job adds (external) does not measure the jobs' load:
    // dividing it by the jobs running would weigh all of an outside load on each job reserved
    if (loadPerJobHint > 0 && runningJobs > 0 && load > 0) {
      measuredLoadPerJob = load / runningJobs;
    } else if (loadPerJobHint <= 0) {
      measuredLoadPerJob = 0;
    }
    reservations.onSample();
    status = StatusHysteresis.next(status, load, threshold, hysteresis);
  }

  void drain() {
    status = WorkerStatus.DRAINING;
  }

  /** Null when a job may be accepted now, else why not. */
  RejectReason check() {
    if (status == WorkerStatus.DRAINING) {
      return RejectReason.DRAINING;
    }
    if (status == WorkerStatus.FULL || effectiveLoad() >= threshold) {
      return RejectReason.FULL;
    }
    return null;
  }

  void accepted(String jobId) {
    reservations.add(jobId);
  }

  /** The job ended: it holds no reserved load any more. */
  void ended(String jobId) {
    reservations.release(jobId);
  }

  /** The load counting jobs accepted but not yet seen in the average. */
  double effectiveLoad() {
    return load + reservations.slots() * loadPerJob();
  }

  private double loadPerJob() {
    return measuredLoadPerJob > 0 ? measuredLoadPerJob : loadPerJobHint;
  }

  WorkerStatus status() {
    return status;
  }

  double load() {
    return load;
  }

  double threshold() {
    return threshold;
  }
}
