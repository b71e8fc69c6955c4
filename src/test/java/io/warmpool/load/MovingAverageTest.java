package io.warmpool.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MovingAverageTest {

  static Stream<Arguments> table() {
    return Stream.of(
      // window, values added, expected average after each add
      Arguments.of(1, new double[] {0.2, 0.8, 0.5}, new double[] {0.2, 0.8, 0.5}),
      Arguments.of(3, new double[] {0.3, 0.6, 0.9}, new double[] {0.3, 0.45, 0.6}),
      Arguments.of(3, new double[] {0.3, 0.6, 0.9, 0.0, 0.0, 0.0}, new double[] {0.3, 0.45, 0.6, 0.5, 0.3, 0.0}),
      Arguments.of(2, new double[] {1, 1, 0, 0, 1}, new double[] {1, 1, 0.5, 0, 0.5}),
      Arguments.of(5, new double[] {0.1, 0.2}, new double[] {0.1, 0.15}));
  }

  @ParameterizedTest
  @MethodSource("table")
  void averagesTheLastWindowValues(int window, double[] values, double[] expected) {
    MovingAverage average = new MovingAverage(window);
    for (int i = 0; i < values.length; i++) {
      assertThat(average.add(values[i])).as("after value #%d", i).isCloseTo(expected[i], within(1e-9));
      assertThat(average.size()).isEqualTo(Math.min(i + 1, window));
    }
  }

  @Test
  void isZeroBeforeTheFirstValue() {
    assertThat(new MovingAverage(4).average()).isZero();
  }

  @Test
  void doesNotDriftOverManyValues() {
    MovingAverage average = new MovingAverage(5);
    for (int i = 0; i < 1_000_000; i++) {
      average.add(i % 2 == 0 ? 0.1 : 0.7);
    }
    for (int i = 0; i < 5; i++) {
      average.add(0.3);
    }
    assertThat(average.average()).isEqualTo(0.3, within(1e-12));
  }

  @Test
  void rejectsAWindowBelowOne() {
    assertThatThrownBy(() -> new MovingAverage(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
