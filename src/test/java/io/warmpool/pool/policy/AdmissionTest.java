package io.warmpool.pool.policy;

import io.warmpool.bus.RejectReason;
import io.warmpool.config.WorkerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AdmissionTest {

  private static Admission admission() {
    return new Admission(new WorkerConfig.Load("jobs", 500, 4, 0.75, 0.05, 16));
  }

  @Test
  void aJobAcceptedBetweenSamplesWeighsWhatARunningJobWasMeasuredAt() {
    Admission admission = admission();
    admission.onSample(0.25, 0.1, 1);

    admission.accepted("a");

    assertThat(admission.effectiveLoad()).as("0.25 measured + a whole slot of 0.25").isEqualTo(0.5);
    admission.accepted("b");
    assertThat(admission.check(false, 0)).isEqualTo(RejectReason.FULL);
  }

  /** An outside load is not made by the jobs: dividing it among them would reserve all of it per job. */
  @Test
  void aSourceThatCannotTellWhatAJobAddsReservesNothing() {
    Admission admission = admission();
    admission.onSample(0.70, 0, 1);

    admission.accepted("a");

    assertThat(admission.effectiveLoad()).isEqualTo(0.70);
    assertThat(admission.check(false, 0)).isNull();
  }

  /** The average still holds a job that just ended: with no job counted, the load would look like room for many. */
  @Test
  void aJobThatEndedCountsAmongTheJobsOfTheLoadForAWindow() {
    Admission admission = admission();
    admission.onSample(0.6, 0.5, 1);
    admission.accepted("a");

    admission.ended("a", true);

    assertThat(admission.jobsInLoad(0)).isEqualTo(1);
    admission.onSample(0.6, 0.5, 0);
    assertThat(admission.effectiveLoad()).as("measured with the ended job: 0.6 a job, none reserved").isEqualTo(0.6);
    admission.onSample(0.5, 0.5, 0);
    admission.onSample(0.4, 0.5, 0);
    assertThat(admission.jobsInLoad(0)).isEqualTo(1);
    admission.onSample(0.3, 0.5, 0);
    assertThat(admission.jobsInLoad(0)).as("the window has passed").isZero();
  }

  /**
   * A sample right after a job started holds little of it: dividing the load by the whole job
   * made it weigh 0.2 where it weighs 0.5, and two more CPU-bound jobs were let in at once.
   */
  @Test
  void aJobJustAcceptedIsWeighedOnlyForThePartTheAverageHasSeen() {
    Admission admission = admission();
    admission.onSample(0.0, 0.5, 0);
    admission.accepted("a");

    admission.onSample(0.2, 0.5, 1);

    assertThat(admission.effectiveLoad()).as("0.2 + 3/4 of a job unseen, at the hint's 0.5 a job")
      .isCloseTo(0.2 + 0.75 * 0.5, within(1e-9));
    admission.accepted("b");
    assertThat(admission.check(false, 0)).isEqualTo(RejectReason.FULL);
  }

  /**
   * A pool whose processes fail to start turns a job away at once rather than let it wait to
   * fail {@code init-failed}, unless a warm process is left to run it. Draining says so first;
   * a degraded pool says {@code degraded} before {@code full}: that is what lasts.
   */
  @ParameterizedTest(name = "{0}, degraded {1}, {2} idle -> {3}")
  @CsvSource({
    "available, false, 0, ",
    "available, true,  0, degraded",
    "available, true,  1, ",
    "available, true,  3, ",
    "full,      false, 0, full",
    "full,      true,  0, degraded",
    "full,      true,  1, full",
    "draining,  true,  0, draining",
    "draining,  false, 2, draining",
  })
  void aDegradedPoolTakesAJobOnlyOntoAnIdleProcess(String status, boolean degraded, int idle, String reason) {
    Admission admission = admission();
    admission.onSample("full".equals(status) ? 0.9 : 0.1, 0.1, 0);
    if ("draining".equals(status)) {
      admission.drain();
    }
    assertThat(admission.status().wireName()).isEqualTo(status);

    RejectReason rejected = admission.check(degraded, idle);

    assertThat(rejected == null ? null : rejected.wireName()).isEqualTo(reason);
  }

  @Test
  void aJobThatEndedWithoutRunningAddedNothingToTheLoad() {
    Admission admission = admission();
    admission.accepted("a");

    admission.ended("a", false);

    assertThat(admission.jobsInLoad(0)).isZero();
    assertThat(admission.effectiveLoad()).isZero();
  }
}
