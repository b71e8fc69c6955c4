package io.warmpool.load;

import java.util.function.LongSupplier;

/**
 * Lets a repeated warning through at most once per period and counts the ones it held back, so
 * a source that goes bad on every sample cannot flood the log but is still visible.
 */
final class LogThrottle {

  private final long periodMillis;
  private final LongSupplier clockMillis;
  private boolean logged;
  private long lastMillis;
  private long suppressed;

  LogThrottle(long periodMillis, LongSupplier clockMillis) {
    this.periodMillis = periodMillis;
    this.clockMillis = clockMillis;
  }

  /**
   * Whether to log now. When it answers {@code true}, {@link #takeSuppressed()} tells how many
   * were held back since the last one let through.
   */
  synchronized boolean allow() {
    long now = clockMillis.getAsLong();
    if (logged && now - lastMillis < periodMillis) {
      suppressed++;
      return false;
    }
    logged = true;
    lastMillis = now;
    return true;
  }

  /** How many warnings were held back since the last call; resets the count. */
  synchronized long takeSuppressed() {
    long n = suppressed;
    suppressed = 0;
    return n;
  }
}
