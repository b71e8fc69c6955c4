package io.warmpool.pool.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TargetDampingTest {

  private static final long S = 1_000_000_000L;

  private static int target(TargetDamping damping, int wanted, long nowNanos) {
    return damping.apply(wanted, 0, nowNanos).target();
  }

  @Test
  void risesAtOnceFallsOnlyAfterTheWindow() {
    TargetDamping damping = new TargetDamping(10_000);
    assertThat(target(damping, 1, 0)).isEqualTo(1);
    assertThat(target(damping, 4, 1 * S)).as("a rise applies at once").isEqualTo(4);
    assertThat(target(damping, 1, 2 * S)).as("a fall waits").isEqualTo(4);
    assertThat(target(damping, 2, 9 * S)).isEqualTo(4);
    assertThat(target(damping, 1, 11 * S + 1)).as("the 4 left the window; the 2 seen at 9 s is still in it").isEqualTo(2);
    assertThat(target(damping, 1, 20 * S)).isEqualTo(1);
  }

  @Test
  void aSwingingTargetStaysAtItsPeak() {
    TargetDamping damping = new TargetDamping(10_000);
    for (int second = 0; second < 60; second++) {
      int wanted = second % 4 < 2 ? 4 : 1;
      assertThat(target(damping, wanted, second * S)).as("at %d s", second).isEqualTo(4);
    }
  }

  @Test
  void resetDropsTheHistory() {
    TargetDamping damping = new TargetDamping(10_000);
    target(damping, 4, 0);
    damping.reset();
    assertThat(target(damping, 0, 1 * S)).isZero();
  }

  @Test
  void aRespawnSoonAfterAReapGrowsTheWindowAndCalmShrinksIt() {
    TargetDamping damping = new TargetDamping(10_000);
    damping.surplusReaped(0);
    damping.spawnedForTarget(5 * S);
    assertThat(damping.windowMs()).isEqualTo(20_000);
    damping.surplusReaped(6 * S);
    damping.spawnedForTarget(7 * S);
    assertThat(damping.windowMs()).isEqualTo(40_000);

    // a spawn long after the last reap is no penalty
    damping.surplusReaped(8 * S);
    damping.spawnedForTarget(100 * S);
    assertThat(damping.windowMs()).isEqualTo(40_000);

    long t = 100 * S;
    for (int i = 0; i < 50; i++) {
      t += damping.windowMs() * 1_000_000;
      target(damping, 1, t);
    }
    assertThat(damping.windowMs()).isEqualTo(10_000);
  }

  @Test
  void theWindowIsBounded() {
    TargetDamping damping = new TargetDamping(1_000);
    for (int i = 0; i < 20; i++) {
      damping.surplusReaped(i * S);
      damping.spawnedForTarget(i * S + 1);
    }
    assertThat(damping.windowMs()).isEqualTo(1_000L * TargetDamping.MAX_WINDOW_FACTOR);
  }

  /**
   * A job takes an idle process, its replacement is spawned, and the process comes back: with
   * the target alone as the floor it would be reaped, and spawned again for the next job.
   */
  @Test
  void processesBackFromJobsInTheWindowAreKept() {
    TargetDamping damping = new TargetDamping(10_000);
    assertThat(damping.apply(4, 0, 0)).isEqualTo(new TargetDamping.Levels(4, 4));
    assertThat(damping.apply(1, 1, 1 * S)).as("one running: the target stays 4 (damped)")
      .isEqualTo(new TargetDamping.Levels(4, 4));
    assertThat(damping.apply(4, 0, 2 * S)).as("back from its job: kept beside the replacement")
      .isEqualTo(new TargetDamping.Levels(4, 5));
    assertThat(damping.apply(1, 2, 3 * S)).as("two running").isEqualTo(new TargetDamping.Levels(4, 4));
    assertThat(damping.apply(4, 0, 4 * S)).isEqualTo(new TargetDamping.Levels(4, 6));
    assertThat(damping.apply(4, 0, 13 * S + 1)).as("the peak of two left the window").isEqualTo(new TargetDamping.Levels(4, 4));
  }

  @Test
  void atFullLoadTheWarmProcessesAreKeptForTheWindow() {
    TargetDamping damping = new TargetDamping(10_000);
    damping.apply(4, 1, 0);
    assertThat(damping.apply(0, 0, 1 * S)).as("full: nothing to spawn, five kept").isEqualTo(new TargetDamping.Levels(4, 5));
    assertThat(damping.apply(0, 0, 10 * S + 1)).as("the window passed").isEqualTo(new TargetDamping.Levels(0, 0));
  }

  @Test
  void withoutAWindowTheKeepIsTheTarget() {
    TargetDamping damping = new TargetDamping(0);
    assertThat(damping.apply(4, 0, 0)).isEqualTo(new TargetDamping.Levels(4, 4));
    assertThat(damping.apply(1, 1, 1)).isEqualTo(new TargetDamping.Levels(1, 1));
    assertThat(damping.apply(4, 0, 2)).isEqualTo(new TargetDamping.Levels(4, 4));
    assertThat(damping.apply(0, 0, 3)).isEqualTo(new TargetDamping.Levels(0, 0));
  }
}
