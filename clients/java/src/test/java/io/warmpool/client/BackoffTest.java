package io.warmpool.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

  @Test
  void theWaitDoublesUpToTheMaximumAndStartsAgainAfterAReset() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), () -> 0.5);
    assertThat(new long[] {backoff.nextDelayMs(), backoff.nextDelayMs(), backoff.nextDelayMs(), backoff.nextDelayMs()})
      .containsExactly(100, 200, 400, 500);
    backoff.reset();
    assertThat(backoff.nextDelayMs()).isEqualTo(100);
  }

  @Test
  void eachWaitIsSpreadByAFifthEitherWay() {
    assertThat(new Backoff(Duration.ofMillis(1000), Duration.ofMillis(1000), () -> 0.0).nextDelayMs()).isEqualTo(800);
    assertThat(new Backoff(Duration.ofMillis(1000), Duration.ofMillis(1000), () -> 0.999_999).nextDelayMs()).isEqualTo(1200);
  }

  @Test
  void aMinimumOverTheMaximumIsRefusedNamingBoth() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Math::random))
      .hasMessageContaining("reconnectMinDelay (2000 ms)").hasMessageContaining("reconnectMaxDelay (1000 ms)");
  }
}
