package io.warmpool.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The waits between attempts to reconnect: from {@code min}, doubling after each failed attempt,
 * up to {@code max}, each spread by ±20 % so that the clients of a worker that restarts do not
 * all come back in the same millisecond.
 */
final class Backoff {

  static final double SPREAD = 0.2;

  private final long minMs;
  private final long maxMs;
  /** A number in [0, 1): the spread's draw. */
  private final DoubleSupplier random;
  private long nextMs;

  Backoff(Duration min, Duration max, DoubleSupplier random) {
    if (min.compareTo(max) > 0) {
      throw new IllegalArgumentException("reconnectMinDelay (" + min.toMillis() + " ms) is over reconnectMaxDelay ("
        + max.toMillis() + " ms)");
    }
    this.minMs = min.toMillis();
    this.maxMs = max.toMillis();
    this.random = random;
    this.nextMs = minMs;
  }

  /** The wait before the next attempt; the one after it is twice as long, up to the maximum. */
  long nextDelayMs() {
    long base = nextMs;
    nextMs = Math.min(maxMs, nextMs * 2);
    double factor = 1 - SPREAD + 2 * SPREAD * random.getAsDouble();
    return Math.max(1, Math.round(base * factor));
  }

  /** A connection is up again: the next drop starts from the minimum. */
  void reset() {
    nextMs = minMs;
  }
}
