package io.warmpool.pool.policy;

/**
 * Consecutive initialisation failures double the delay before the next spawn, up to 30 s,
 * so a child that can never start does not turn into a spawn storm (LiveKit agents #4857).
 * Times are in nanoseconds from {@link System#nanoTime()}, passed in so tests need no clock.
 */
public final class SpawnBackoff {

  public static final long BASE_DELAY_NANOS = 500_000_000L;
  public static final long MAX_DELAY_NANOS = 30_000_000_000L;
  /**
   * How much of a failure's text is kept: it comes from a child (its prewarm's exception, its
   * output), goes into every state frame and rejection, and must not make them large.
   */
  public static final int MAX_ERROR_CHARS = 200;

  private int consecutiveFailures;
  private long notBeforeNanos;
  private String lastError;

  public void failure(String error, long nowNanos) {
    consecutiveFailures++;
    lastError = error == null || error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS) + "…";
    notBeforeNanos = nowNanos + delayNanos();
  }

  public void success() {
    consecutiveFailures = 0;
    notBeforeNanos = 0;
  }

  public boolean allowsSpawn(long nowNanos) {
    return consecutiveFailures == 0 || nowNanos - notBeforeNanos >= 0;
  }

  /** While failing, initialise one process at a time: a probe, not a batch. */
  public int maxInits(int configured) {
    return consecutiveFailures == 0 ? configured : 1;
  }

  public long delayNanos() {
    if (consecutiveFailures == 0) {
      return 0;
    }
    int doublings = Math.min(consecutiveFailures - 1, 16);
    return Math.min(BASE_DELAY_NANOS << doublings, MAX_DELAY_NANOS);
  }

  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** The last failure's text, cut to {@value #MAX_ERROR_CHARS} characters, kept after a success so operators can still read it. */
  public String lastError() {
    return lastError;
  }
}
