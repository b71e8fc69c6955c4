package io.warmpool.pool.policy;

import io.warmpool.bus.RejectReason;
import io.warmpool.bus.WorkerStatus;
import io.warmpool.config.WorkerConfig;

/**
 * Decides whether a job may be accepted, from the averaged load plus the load of jobs accepted
 * since it was measured, and keeps the worker's status with its hysteresis.
 *
 * <p>The averaged load lags the jobs by a load window both ways: a job just accepted is not in
 * it yet (its load is reserved), and a job that just ended still is (it still counts among the
 * jobs the load is made of, {@link #jobsInLoad}).
 */
public final class Admission {

  /** Below this many jobs seen by the average, what one job weighs is not measured (the last measure stands). */
  private static final double MIN_JOBS_SEEN = 0.5;

  private final double threshold;
  private final double hysteresis;
  /** Accepted, not yet wholly seen by the average. */
  private final SampleAges reserved;
  /** Ended, still in the average. */
  private final SampleAges endedInAverage;
  private WorkerStatus status = WorkerStatus.AVAILABLE;
  private double load;
  private double loadPerJobHint;
  private double measuredLoadPerJob;

  public Admission(WorkerConfig.Load config) {
    this.threshold = config.threshold();
    this.hysteresis = config.hysteresis();
    this.reserved = new SampleAges(config.window());
    this.endedInAverage = new SampleAges(config.window());
  }

  /**
   * A new averaged load sample.
   *
   * @param loadPerJobHint what the source expects one job to add, 0 when it cannot tell; then
   *                       jobs accepted between samples reserve nothing
   * @param runningJobs    jobs running when it was taken, to learn what one job weighs
   */
  public void onSample(double load, double loadPerJobHint, int runningJobs) {
    this.load = load;
    this.loadPerJobHint = loadPerJobHint;
    double seen = jobsSeen(runningJobs);
    // a source that cannot tell what one job adds (external) does not measure the jobs' load:
    // dividing it by the jobs running would weigh all of an outside load on each job reserved
    if (loadPerJobHint <= 0) {
      measuredLoadPerJob = 0;
    } else if (load > 0 && seen >= MIN_JOBS_SEEN) {
      measuredLoadPerJob = load / seen;
    }
    reserved.onSample();
    endedInAverage.onSample();
    status = StatusHysteresis.next(status, load, threshold, hysteresis);
  }

  public void drain() {
    status = WorkerStatus.DRAINING;
  }

  /**
   * Null when a job may be accepted now, else why not.
   *
   * @param degraded whether processes keep failing to start (the pool's {@code degraded})
   * @param idle     warm idle processes now: a degraded pool still runs a job on one of those
   */
  public RejectReason check(boolean degraded, int idle) {
    if (status == WorkerStatus.DRAINING) {
      return RejectReason.DRAINING;
    }
    if (degraded && idle == 0) {
      // the job would wait for a process that fails to start, and end init-failed
      return RejectReason.DEGRADED;
    }
    if (status == WorkerStatus.FULL || effectiveLoad() >= threshold) {
      return RejectReason.FULL;
    }
    return null;
  }

  public void accepted(String jobId) {
    reserved.add(jobId);
  }

  /**
   * The job ended: it holds no reserved load any more, but if it ran, its load stays in the
   * average for a window.
   */
  public void ended(String jobId, boolean ran) {
    reserved.remove(jobId);
    if (ran) {
      endedInAverage.add(jobId);
    }
  }

  /**
   * How many jobs the averaged load holds, counting each by the part of the window it was in the
   * average: jobs just accepted are barely in it yet, jobs ended a while ago barely any more.
   * Dividing the load by whole jobs instead took jobs just accepted for jobs that weigh little,
   * so a CPU-bound load let several in at once and then turned {@code full}. The reservations
   * of jobs still waiting for a process are taken off too: that error makes a job weigh more,
   * never less.
   */
  private double jobsSeen(int runningJobs) {
    return Math.max(0, runningJobs - reserved.leftInWindow()) + endedInAverage.leftInWindow();
  }

  /**
   * The jobs the averaged load is made of: those running and those that ended within the load
   * window. Counting only the running ones would take a load that still shows a job just ended
   * for a load with no job in it, and so for room for {@code pool.maxIdle} more.
   */
  public int jobsInLoad(int runningJobs) {
    return runningJobs + endedInAverage.count();
  }

  /** The load counting jobs accepted but not yet seen in the average. */
  public double effectiveLoad() {
    return load + reserved.leftInWindow() * loadPerJob();
  }

  private double loadPerJob() {
    return measuredLoadPerJob > 0 ? measuredLoadPerJob : loadPerJobHint;
  }

  public WorkerStatus status() {
    return status;
  }

  public double load() {
    return load;
  }

  public double threshold() {
    return threshold;
  }
}
