package io.warmpool.pool.policy;

/**
 * How many processes may be spawned for the idle target in one tick (PHP-FPM's and Apache's
 * spawn rate): one at first, twice as many each tick the shortfall lasts, up to
 * {@code pool.maxSpawnRate}, and back to one the moment a tick has no shortfall. A short dip
 * costs one spawn, a real rise is met within a few ticks, and there is never a storm.
 */
public final class SpawnRamp {

  private final int maxRate;
  private int batch = 1;
  private int spawnedThisTick;
  private boolean shortfallThisTick;

  public SpawnRamp(int maxRate) {
    this.maxRate = Math.max(1, maxRate);
  }

  /** How many of {@code wanted} target spawns may start now. */
  public int allow(int wanted) {
    if (wanted > 0) {
      shortfallThisTick = true;
    }
    int allowed = Math.max(0, Math.min(wanted, batch - spawnedThisTick));
    spawnedThisTick += allowed;
    return allowed;
  }

  /** A tick ended: the batch doubles if the shortfall lasted, else drops back to one. */
  public void tick() {
    batch = shortfallThisTick ? Math.min(batch * 2, maxRate) : 1;
    spawnedThisTick = 0;
    shortfallThisTick = false;
  }

  public int batch() {
    return batch;
  }
}
