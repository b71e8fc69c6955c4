package io.warmpool.pool;

/**
 * Consecutive initialisation failures double the delay before the next spawn, up to 30 s,
 * so a child that can never start does not turn into a spawn storm (LiveKit agents #4857).
 * Times are in nanoseconds from {@link System#nanoTime()}, passed in so tests need no clock.
 */
final class SpawnBackoff {

  static final long BASE_DELAY_NANOS = 500_000_000L;
  static final long MAX_DELAY_NANOS = 30_000_000_000L;

  private int consecutiveFailures;
  private long notBeforeNanos;
  private String lastError;

  void failure(String error, long nowNanos) {
    consecutiveFailures++;
    lastError = error;
    notBeforeNanos = nowNanos + delayNanos();
  }

  void success() {
    consecutiveFailures = 0;
    notBeforeNanos = 0;
  }

  boolean allowsSpawn(long nowNanos) {
    return consecutiveFailures == 0 || nowNanos - notBeforeNanos >= 0;
  }

  /** While failing, initialise one process at a time: a probe, not a batch. */
  int maxInits(int configured) {
    return consecutiveFailures == 0 ? configured : 1;
  }

  long delayNanos() {
    if (consecutiveFailures == 0) {
      return 0;
    }
    int doublings = Math.min(consecutiveFailures - 1, 16);
    return Math.min(BASE_DELAY_NANOS << doublings, MAX_DELAY_NANOS);
  }

  int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** The last failure's text, kept after a success so operators can still read it. */
  String lastError() {
    return lastError;
  }
}
