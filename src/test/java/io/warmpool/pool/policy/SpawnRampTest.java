package io.warmpool.pool.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpawnRampTest {

  @Test
  void doublesWhileTheShortfallLastsUpToTheMaximum() {
    SpawnRamp ramp = new SpawnRamp(8);
    int[] expected = {1, 2, 4, 8, 8, 8};
    for (int allowed : expected) {
      assertThat(ramp.allow(100)).isEqualTo(allowed);
      assertThat(ramp.allow(100)).as("nothing more within the same tick").isZero();
      ramp.tick();
    }
  }

  @Test
  void dropsBackToOneAfterATickWithoutShortfall() {
    SpawnRamp ramp = new SpawnRamp(8);
    ramp.allow(10);
    ramp.tick();
    ramp.allow(10);
    ramp.tick();
    assertThat(ramp.batch()).isEqualTo(4);
    ramp.allow(0);
    ramp.tick();
    assertThat(ramp.batch()).isEqualTo(1);
  }

  @Test
  void neverAllowsMoreThanWanted() {
    SpawnRamp ramp = new SpawnRamp(8);
    ramp.tick();
    assertThat(ramp.allow(0)).isZero();
    assertThat(ramp.allow(1)).isEqualTo(1);
    assertThat(ramp.allow(-3)).isZero();
  }
}
