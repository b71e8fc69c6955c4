package io.warmpool.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LoadClampTest {

  @ParameterizedTest
  @CsvSource({
    "0.0, 0.0",
    "0.42, 0.42",
    "1.0, 1.0",
    "-0.01, 0.0",
    "-5, 0.0",
    "1.0001, 1.0",
    "37, 1.0",
  })
  void bringsFiniteValuesIntoZeroToOne(double raw, double expected) {
    assertThat(new LoadClamp("test").clamp(raw)).isEqualTo(expected);
  }

  @Test
  void aNonFiniteValueKeepsThePreviousLoad() {
    LoadClamp clamp = new LoadClamp("test");
    assertThat(clamp.clamp(Double.NaN)).as("nothing known yet").isZero();
    assertThat(clamp.clamp(0.6)).isEqualTo(0.6);
    assertThat(clamp.clamp(Double.NaN)).isEqualTo(0.6);
    assertThat(clamp.clamp(Double.POSITIVE_INFINITY)).isEqualTo(0.6);
    assertThat(clamp.clamp(Double.NEGATIVE_INFINITY)).isEqualTo(0.6);
    assertThat(clamp.clamp(3)).isEqualTo(1);
    assertThat(clamp.clamp(Double.NaN)).as("the previous clamped value, not the raw 3").isEqualTo(1);
  }

  @Test
  void warnsAtMostOnceAMinute() {
    AtomicLong now = new AtomicLong(1_000_000);
    LoadClamp clamp = new LoadClamp("test", now::get);

    clamp.clamp(0.5);
    assertThat(clamp.warnings()).as("a good value is not a warning").isZero();

    for (int i = 0; i < 100; i++) {
      clamp.clamp(-1);
      now.addAndGet(100);
    }
    assertThat(clamp.warnings()).isEqualTo(1);

    now.addAndGet(60_000);
    clamp.clamp(Double.NaN);
    clamp.clamp(2);
    assertThat(clamp.warnings()).isEqualTo(2);
  }
}
