package io.warmpool.pool.policy;

import java.util.ArrayDeque;

/**
 * The largest of the counts seen within a time window, in constant amortised time per sample
 * (a monotonic deque): a sample is dropped as soon as a later one is at least as large, since it
 * can never again be the largest before it leaves the window. What is left is decreasing from
 * the oldest to the newest, so the largest is the oldest. Times must not go backwards
 * ({@code System.nanoTime()}).
 */
final class SlidingWindowMax {

  private record Sample(long atNanos, int count) {
  }

  private final ArrayDeque<Sample> candidates = new ArrayDeque<>();

  void add(int count, long atNanos) {
    while (!candidates.isEmpty() && candidates.peekLast().count <= count) {
      candidates.pollLast();
    }
    candidates.addLast(new Sample(atNanos, count));
  }

  /**
   * Forgets the samples seen more than {@code windowNanos} before {@code nowNanos}; the newest,
   * added at {@code nowNanos}, always stays.
   */
  void forgetOlderThan(long windowNanos, long nowNanos) {
    while (nowNanos - candidates.peekFirst().atNanos > windowNanos) {
      candidates.pollFirst();
    }
  }

  /** The largest count still in the window; called after {@link #add}. */
  int max() {
    return candidates.peekFirst().count;
  }

  void clear() {
    candidates.clear();
  }
}
