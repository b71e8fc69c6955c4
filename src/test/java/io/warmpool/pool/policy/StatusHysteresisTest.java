package io.warmpool.pool.policy;

import io.warmpool.bus.WorkerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.warmpool.bus.WorkerStatus.AVAILABLE;
import static io.warmpool.bus.WorkerStatus.FULL;
import static org.assertj.core.api.Assertions.assertThat;

class StatusHysteresisTest {

  @ParameterizedTest(name = "{0} at {1} -> {2}")
  @CsvSource({
    "AVAILABLE, 0.74, AVAILABLE",
    "AVAILABLE, 0.75, FULL",
    "AVAILABLE, 0.90, FULL",
    "FULL,      0.74, FULL",
    "FULL,      0.71, FULL",
    "FULL,      0.70, FULL",
    "FULL,      0.69, AVAILABLE",
    "DRAINING,  0.10, DRAINING",
    "DRAINING,  0.99, DRAINING",
  })
  void transitions(WorkerStatus current, double load, WorkerStatus expected) {
    assertThat(StatusHysteresis.next(current, load, 0.75, 0.05)).isEqualTo(expected);
  }

  @Test
  void loadOscillatingInsideTheBandDoesNotFlap() {
    WorkerStatus status = AVAILABLE;
    int changes = 0;
    for (int i = 0; i < 1000; i++) {
      double load = i % 2 == 0 ? 0.76 : 0.72;
      WorkerStatus next = StatusHysteresis.next(status, load, 0.75, 0.05);
      if (next != status) {
        changes++;
      }
      status = next;
    }
    assertThat(status).isEqualTo(FULL);
    assertThat(changes).isEqualTo(1);
  }
}
