package io.warmpool.load;

import java.util.function.IntSupplier;

/**
 * Load as the share of job slots in use: active jobs / {@code load.maxJobs}. For jobs whose cost
 * is not CPU (waiting on a network, a GPU, a licence), where the cpu source would read idle.
 */
public final class JobsLoadSource implements LoadSource {

  private final IntSupplier activeJobs;
  private final int maxJobs;

  /**
   * @param activeJobs how many jobs run now; called from a worker thread, so it must be safe to
   *                   call off the pool's event loop (an {@code AtomicInteger::get}, a volatile read)
   * @param maxJobs    the number of jobs that makes the worker fully loaded, at least 1
   */
  public JobsLoadSource(IntSupplier activeJobs, int maxJobs) {
    if (maxJobs < 1) {
      throw new IllegalArgumentException("load.maxJobs must be at least 1, was " + maxJobs);
    }
    this.activeJobs = activeJobs;
    this.maxJobs = maxJobs;
  }

  @Override
  public String name() {
    return "jobs";
  }

  /** Can exceed 1 when more jobs run than {@code maxJobs}; the caller clamps. */
  @Override
  public double sample() {
    return activeJobs.getAsInt() / (double) maxJobs;
  }

  @Override
  public double loadPerJobHint() {
    return 1.0 / maxJobs;
  }
}
