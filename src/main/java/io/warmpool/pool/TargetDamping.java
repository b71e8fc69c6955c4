package io.warmpool.pool;

import java.util.ArrayDeque;

/**
 * Asymmetric damping of the idle target (the Kubernetes HPA's scale-down stabilisation): a
 * higher target applies at once, a lower one only once no higher target was seen for the
 * window. So load that swings does not spawn and reap the same processes over and over.
 *
 * <p>The window grows when a process reaped as surplus is needed again within it (uWSGI's
 * respawn penalty: the pool shrank too early) and shrinks back slowly while the pool is calm.
 * Times are passed in (nanoseconds) so every rule is table-tested without a clock.
 */
final class TargetDamping {

  /** The window never grows beyond this many times the configured one. */
  static final int MAX_WINDOW_FACTOR = 8;

  private final long baseWindowNanos;
  private final ArrayDeque<long[]> seen = new ArrayDeque<>();
  private long windowNanos;
  private long lastSurplusReapNanos = Long.MIN_VALUE;
  private long calmSinceNanos;

  TargetDamping(long windowMs) {
    this.baseWindowNanos = windowMs * 1_000_000;
    this.windowNanos = baseWindowNanos;
  }

  /** The target to use now, given what the load asks for now. */
  int apply(int wanted, long nowNanos) {
    seen.addLast(new long[] {nowNanos, wanted});
    while (seen.size() > 1 && nowNanos - seen.peekFirst()[0] > windowNanos) {
      seen.pollFirst();
    }
    relax(nowNanos);
    int target = wanted;
    for (long[] entry : seen) {
      target = Math.max(target, (int) entry[1]);
    }
    return target;
  }

  /** A draining worker wants no idle process at all, at once: history must not bring them back. */
  void reset() {
    seen.clear();
  }

  /** Surplus idle processes were reaped. */
  void surplusReaped(long nowNanos) {
    lastSurplusReapNanos = nowNanos;
  }

  /** A process is spawned to fill the idle target; if surplus was reaped within the window, the pool shrank too early. */
  void spawnedForTarget(long nowNanos) {
    if (lastSurplusReapNanos != Long.MIN_VALUE && nowNanos - lastSurplusReapNanos <= windowNanos) {
      windowNanos = Math.min(windowNanos * 2, baseWindowNanos * MAX_WINDOW_FACTOR);
      lastSurplusReapNanos = Long.MIN_VALUE;
      calmSinceNanos = nowNanos;
    }
  }

  /** Each full window without a penalty takes a quarter off the growth, and at least a quarter of the base. */
  private void relax(long nowNanos) {
    if (windowNanos > baseWindowNanos && nowNanos - calmSinceNanos >= windowNanos) {
      long step = Math.max((windowNanos - baseWindowNanos) / 4, baseWindowNanos / 4);
      windowNanos = Math.max(baseWindowNanos, windowNanos - step);
      calmSinceNanos = nowNanos;
    }
  }

  long windowMs() {
    return windowNanos / 1_000_000;
  }
}
