package io.warmpool.pool.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpawnBackoffTest {

  private static final long MS = 1_000_000;

  @Test
  void delayDoublesUpToThirtySecondsAndResetsOnSuccess() {
    SpawnBackoff backoff = new SpawnBackoff();
    assertThat(backoff.allowsSpawn(0)).isTrue();
    assertThat(backoff.maxInits(4)).isEqualTo(4);

    long[] expectedMs = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
    for (long expected : expectedMs) {
      backoff.failure("boom", 0);
      assertThat(backoff.delayNanos()).isEqualTo(expected * MS);
    }
    assertThat(backoff.allowsSpawn(29_999 * MS)).isFalse();
    assertThat(backoff.allowsSpawn(30_000 * MS)).isTrue();
    assertThat(backoff.maxInits(4)).isEqualTo(1);
    assertThat(backoff.lastError()).isEqualTo("boom");

    backoff.success();
    assertThat(backoff.consecutiveFailures()).isZero();
    assertThat(backoff.allowsSpawn(0)).isTrue();
    assertThat(backoff.lastError()).isEqualTo("boom");
  }

  @Test
  void manyFailuresDoNotOverflow() {
    SpawnBackoff backoff = new SpawnBackoff();
    for (int i = 0; i < 1000; i++) {
      backoff.failure("boom", 0);
    }
    assertThat(backoff.delayNanos()).isEqualTo(30_000 * MS);
  }

  @Test
  void keepsOnlyTheStartOfALongError() {
    SpawnBackoff backoff = new SpawnBackoff();

    backoff.failure("prewarm failed: " + "x".repeat(100_000), 0);

    assertThat(backoff.lastError()).startsWith("prewarm failed: xxx").endsWith("…")
      .hasSize(SpawnBackoff.MAX_ERROR_CHARS + 1);
  }
}
