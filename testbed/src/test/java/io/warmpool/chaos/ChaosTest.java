package io.warmpool.chaos;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short chaos run of the test suite: 40 s of faults of every kind on a steady load (the
 * 3-minute run is {@code make chaos}). The summary goes to the test's output.
 */
class ChaosTest {

  @Test
  void aShortChaosRunKeepsEveryInvariant() throws Exception {
    ChaosReport report = new ChaosRun(Duration.ofSeconds(40), 20250105L, null).run();
    System.out.println(report.summary());

    assertThat(report.violations).as(report.summary()).isEmpty();
    assertThat(report.faults.keySet()).as("fault kinds injected").containsExactlyInAnyOrder(Fault.values());
    assertThat(report.accepted).isGreaterThan(50);
    assertThat(report.lost).isZero();
    assertThat(report.leakedWhileRunning + report.leakedAfterStop).isZero();
  }
}
