package io.warmpool.pool.policy;

import io.warmpool.bus.WorkerStatus;

/**
 * The scaling rule as pure functions, so every case of it is table-tested without processes
 * or timers. Two faults would live here and must never come back: an idle target above zero
 * at full load, and processes running jobs counted as ones that will soon be idle (a new job
 * would then wait for an unrelated one to end).
 */
public final class ScalingPolicy {

  private static final double FIT_TOLERANCE = 1e-9;

  /**
   * How many idle processes to keep warm.
   *
   * @param status     the worker's status; anything but {@code available} means 0
   * @param load       the load admission weighs by, 0..1: the averaged load plus the part of the
   *                   jobs just accepted that the average has not seen yet
   * @param threshold  the load at which the worker is full
   * @param activeJobs jobs whose load is in {@code load}: running, or ended within the load window
   * @param maxIdle    {@code pool.maxIdle}
   */
  public static int targetIdle(WorkerStatus status, double load, double threshold, int activeJobs, int maxIdle) {
    if (status != WorkerStatus.AVAILABLE || load >= threshold) {
      return 0;
    }
    if (activeJobs <= 0 || load <= 0) {
      return maxIdle;
    }
    double loadPerJob = load / activeJobs;
    // 0.75 − 0.60 is 0.15000000000000002 in binary: without the tolerance an exact fit rounds up
    int fits = (int) Math.ceil((threshold - load) / loadPerJob - FIT_TOLERANCE);
    return Math.max(0, Math.min(fits, maxIdle));
  }

  /**
   * How many processes to start now.
   *
   * <p>Only idle and initialising processes are pending: a process that took a job is neither,
   * so its replacement is spawned at once. Jobs waiting for a process count even when the
   * target is 0, so a job never waits on a full worker's target (LiveKit agents #4818).
   *
   * @param target         {@link #targetIdle}
   * @param jobsWaiting    accepted jobs that have no process yet
   * @param idle           processes ready and waiting
   * @param initializing   processes started but not ready yet
   * @param alive          every process not reaped yet (running and exiting included)
   * @param maxProcesses   {@code pool.maxProcesses}
   * @param maxInits       how many may initialise at once now
   */
  public static int toSpawn(int target, int jobsWaiting, int idle, int initializing, int alive,
                            int maxProcesses, int maxInits) {
    int wanted = Math.max(target, jobsWaiting) - (idle + initializing);
    int roomInPool = maxProcesses - alive;
    int roomForInits = maxInits - initializing;
    return Math.max(0, Math.min(wanted, Math.min(roomInPool, roomForInits)));
  }

  private ScalingPolicy() {
  }
}
