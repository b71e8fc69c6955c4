package io.warmpool.pool.policy;

import java.util.ArrayDeque;

/**
 * {@link TargetDamping} as it was before its sliding-window maxima: every sighting in the window
 * kept in a list and the whole list scanned on each call. Slow at a high job rate, and plain to
 * read: the reference the fast one is checked against ({@code TargetDampingSamenessTest}).
 */
final class ScanningTargetDamping {

  private record Seen(long atNanos, int wanted, int returning) {
  }

  private final long baseWindowNanos;
  private final ArrayDeque<Seen> seen = new ArrayDeque<>();
  private long windowNanos;
  private long lastSurplusReapNanos = Long.MIN_VALUE;
  private long calmSinceNanos;

  ScanningTargetDamping(long windowMs) {
    this.baseWindowNanos = windowMs * 1_000_000;
    this.windowNanos = baseWindowNanos;
  }

  TargetDamping.Levels apply(int wanted, int returning, long nowNanos) {
    Seen last = seen.peekLast();
    if (last != null && last.wanted == wanted && last.returning == returning) {
      seen.pollLast();
    }
    seen.addLast(new Seen(nowNanos, wanted, returning));
    while (nowNanos - seen.peekFirst().atNanos > windowNanos) {
      seen.pollFirst();
    }
    relax(nowNanos);
    int target = 0;
    int peakReturning = 0;
    for (Seen entry : seen) {
      target = Math.max(target, entry.wanted);
      peakReturning = Math.max(peakReturning, entry.returning);
    }
    return new TargetDamping.Levels(target, target + peakReturning - returning);
  }

  void reset() {
    seen.clear();
  }

  void surplusReaped(long nowNanos) {
    lastSurplusReapNanos = nowNanos;
  }

  void spawnedForTarget(long nowNanos) {
    if (lastSurplusReapNanos != Long.MIN_VALUE && nowNanos - lastSurplusReapNanos <= windowNanos) {
      windowNanos = Math.min(windowNanos * 2, baseWindowNanos * TargetDamping.MAX_WINDOW_FACTOR);
      lastSurplusReapNanos = Long.MIN_VALUE;
      calmSinceNanos = nowNanos;
    }
  }

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
