package io.warmpool.pool.policy;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TargetDamping} gives exactly the levels of {@link ScanningTargetDamping}, the whole-window
 * scan it replaced, for any calls at any times: random sequences of every call, with steps of
 * time that land on, just inside and just outside the window's edge, compared after each call.
 */
class TargetDampingSamenessTest {

  private static final int SEQUENCES = 200;
  private static final int CALLS = 2_000;
  private static final long[] BASE_WINDOWS_MS = {0, 1, 7, 1_000, 10_000};

  /** What the sequences went through, so that a run that never met the interesting cases fails. */
  private int falls;
  private int keptAboveTarget;
  private int grownWindows;
  private int resets;

  @Test
  void theSameLevelsAsTheScanForRandomSequences() {
    Random random = new Random(18);
    for (int sequence = 0; sequence < SEQUENCES; sequence++) {
      long baseMs = BASE_WINDOWS_MS[sequence % BASE_WINDOWS_MS.length];
      play(sequence, baseMs, new Random(random.nextLong()));
    }
    assertThat(falls).as("damped targets that fell").isGreaterThan(1_000);
    assertThat(keptAboveTarget).as("levels keeping more than the target").isGreaterThan(1_000);
    assertThat(grownWindows).as("windows grown by a respawn").isGreaterThan(100);
    assertThat(resets).isGreaterThan(100);
  }

  private void play(int sequence, long baseMs, Random random) {
    TargetDamping fast = new TargetDamping(baseMs);
    ScanningTargetDamping scan = new ScanningTargetDamping(baseMs);
    long now = random.nextLong(1L << 40);
    int lastTarget = 0;
    for (int call = 0; call < CALLS; call++) {
      now += step(random, fast.windowMs() * 1_000_000);
      int kind = random.nextInt(100);
      String what;
      if (kind < 85) {
        // few distinct values, so equal sightings follow each other as under steady load
        int wanted = random.nextInt(5);
        int returning = random.nextInt(4);
        TargetDamping.Levels expected = scan.apply(wanted, returning, now);
        what = "apply(" + wanted + ", " + returning + ")";
        assertThat(fast.apply(wanted, returning, now)).as("sequence %d, call %d at %d: %s", sequence, call, now, what)
          .isEqualTo(expected);
        falls += expected.target() < lastTarget ? 1 : 0;
        keptAboveTarget += expected.keep() > expected.target() ? 1 : 0;
        lastTarget = expected.target();
      } else if (kind < 93) {
        what = "surplusReaped";
        scan.surplusReaped(now);
        fast.surplusReaped(now);
      } else if (kind < 99) {
        what = "spawnedForTarget";
        long before = scan.windowMs();
        scan.spawnedForTarget(now);
        fast.spawnedForTarget(now);
        grownWindows += scan.windowMs() > before ? 1 : 0;
      } else {
        what = "reset";
        scan.reset();
        fast.reset();
        resets++;
      }
      assertThat(fast.windowMs()).as("sequence %d, call %d at %d: window after %s", sequence, call, now, what)
        .isEqualTo(scan.windowMs());
    }
  }

  /** A step of time: none, a little, a share of the window, or right at its edge (one nanosecond either side). */
  private static long step(Random random, long windowNanos) {
    return switch (random.nextInt(6)) {
      case 0 -> 0;
      case 1 -> random.nextInt(3);
      case 2 -> windowNanos / (1 + random.nextInt(20));
      case 3 -> Math.max(0, windowNanos - 1 + random.nextInt(3));
      case 4 -> random.nextLong(1 + windowNanos / 2);
      default -> random.nextLong(1 + 3 * windowNanos);
    };
  }
}
