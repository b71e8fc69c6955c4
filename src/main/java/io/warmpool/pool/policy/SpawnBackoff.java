package io.warmpool.pool.policy;

/**
 * Consecutive initialisation failures double the delay before the next spawn, up to 30 s,
 * so a child that can never start does not turn into a spawn storm (LiveKit agents #4857).
 * Times are in nanoseconds from {@link System#nanoTime()}, passed in so tests need no clock.
 */
public final class SpawnBackoff {

  public static final long BASE_DELAY_NANOS = 500_000_000L;
  public static final long MAX_DELAY_NANOS = 30_000_000_000L;

  private int consecutiveFailures;
  private long notBeforeNanos;
  private String lastError;

  public void failure(String error, long nowNanos) {
    consecutiveFailures++;
    lastError = error;
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

  /** The last failure's text, kept after a success so operators can still read it. */
  public String lastError() {
    return lastError;
  }
}
