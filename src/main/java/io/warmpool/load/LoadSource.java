package io.warmpool.load;

/**
 * Where a worker's load comes from. The load timer calls {@link #sample()} on a worker
 * thread every {@code load.intervalMs}, so a source may read files or block briefly.
 */
public interface LoadSource {

  /** The name used in {@code load.source} and in published samples. */
  String name();

  /**
   * The load now, nominally 0..1 (1 = fully used). Values outside that range are clamped and
   * logged by the caller, never trusted raw.
   */
  double sample() throws Exception;

  /**
   * How much load one job is expected to add when none has been measured yet (e.g. {@code 1/maxJobs}
   * for the jobs source, one core's share for the cpu source), or 0 when the source cannot tell.
   */
  double loadPerJobHint();

  /**
   * Whether the source has a load to tell yet; while it has not, the load timer samples and
   * publishes nothing rather than a load nobody measured. Called on the timer's event loop: it
   * must be a cheap read.
   */
  default boolean hasLoad() {
    return true;
  }

  /** Releases what the source holds (bus consumers, files). */
  default void close() {
  }
}
