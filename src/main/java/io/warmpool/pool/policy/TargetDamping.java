package io.warmpool.pool.policy;

/**
 * Asymmetric damping of the idle target (the Kubernetes HPA's scale-down stabilisation): a
 * higher target applies at once, a lower one only once no higher target was seen for the
 * window. So load that swings does not spawn and reap the same processes over and over.
 *
 * <p>The same window decides which idle processes are surplus. A reused process that took a job
 * was replaced at once, so when it comes back the pool has one idle process more than its
 * target; reaping it would only spawn another for the next job. So such processes are kept
 * while the window remembers them: the pool keeps the target plus the peak, in the window, of
 * running processes that will come back, less those still running.
 *
 * <p>The window grows when a process reaped as surplus is needed again within it (uWSGI's
 * respawn penalty: the pool shrank too early) and shrinks back slowly while the pool is calm.
 * Times are passed in (nanoseconds, never going backwards) so every rule is table-tested
 * without a clock.
 *
 * <p>It runs on every pump, so its cost must not grow with the job rate: the peaks are kept as
 * sliding-window maxima ({@link SlidingWindowMax}), constant amortised time per call, however
 * many sightings the window holds.
 */
public final class TargetDamping {

  /** The window never grows beyond this many times the configured one. */
  public static final int MAX_WINDOW_FACTOR = 8;

  /**
   * What the damping allows now.
   *
   * @param target idle processes to spawn up to
   * @param keep   idle processes not reaped as surplus; never below the target
   */
  public record Levels(int target, int keep) {
  }

  private final long baseWindowNanos;
  /** The idle targets the load asked for within the window. */
  private final SlidingWindowMax wantedPeak = new SlidingWindowMax();
  /** The running processes that will come back, as seen within the window. */
  private final SlidingWindowMax returningPeak = new SlidingWindowMax();
  private long windowNanos;
  private long lastSurplusReapNanos = Long.MIN_VALUE;
  private long calmSinceNanos;

  public TargetDamping(long windowMs) {
    this.baseWindowNanos = windowMs * 1_000_000;
    this.windowNanos = baseWindowNanos;
  }

  /**
   * The levels to use now.
   *
   * @param wanted    the idle target the load asks for now (0 at full load)
   * @param returning running processes that go back to the idle queue when their job ends
   */
  public Levels apply(int wanted, int returning, long nowNanos) {
    wantedPeak.add(wanted, nowNanos);
    returningPeak.add(returning, nowNanos);
    // the window before relax() may shorten it: what it shortens takes effect at the next call
    wantedPeak.forgetOlderThan(windowNanos, nowNanos);
    returningPeak.forgetOlderThan(windowNanos, nowNanos);
    relax(nowNanos);
    int target = wantedPeak.max();
    return new Levels(target, target + returningPeak.max() - returning);
  }

  /** A draining worker wants no idle process at all, at once: history must not bring them back. */
  public void reset() {
    wantedPeak.clear();
    returningPeak.clear();
  }

  /** Surplus idle processes were reaped. */
  public void surplusReaped(long nowNanos) {
    lastSurplusReapNanos = nowNanos;
  }

  /** A process is spawned to fill the idle target; if surplus was reaped within the window, the pool shrank too early. */
  public void spawnedForTarget(long nowNanos) {
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

  public long windowMs() {
    return windowNanos / 1_000_000;
  }
}
