package io.warmpool.chaos;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's rules on a ledger written by hand, in the order the run would write it. */
class ChaosReportTest {

  private static final long PID = 4242;

  private static void runsAndCrashes(JobLedger ledger, String jobId) {
    ledger.submitted(jobId, "java", null, "burn");
    ledger.answered(jobId, new JsonObject().put("type", "accepted").put("jobId", jobId));
    ledger.onEvent("java", new JsonObject().put("jobId", jobId).put("event", "started").put("pid", PID));
    ledger.onEvent("java", new JsonObject().put("jobId", jobId).put("event", "failed").put("reason", "crashed"));
  }

  /** kill -STOP takes a process start to send: a job can take the idle child and start meanwhile. */
  @Test
  void aJobThatStartedWhileTheSignalWasBeingSentWasHit() {
    JobLedger ledger = new JobLedger();
    JobLedger.Hit hit = ledger.hit(Fault.STOP_IDLE, PID);
    runsAndCrashes(ledger, "j1");
    ledger.landed(hit);

    ChaosReport report = new ChaosReport(1, 1);
    report.judge(ledger);

    assertThat(report.violations).isEmpty();
    assertThat(report.excusedByHit).isEqualTo(1);
  }

  @Test
  void aJobSubmittedAfterTheSignalLandedWasNotHit() {
    JobLedger ledger = new JobLedger();
    ledger.landed(ledger.hit(Fault.STOP_IDLE, PID));
    long landed = System.nanoTime();
    while (System.nanoTime() == landed) {
      Thread.onSpinWait(); // the submission must come after the landing, not in the same nanosecond
    }
    runsAndCrashes(ledger, "j1");

    ChaosReport report = new ChaosReport(1, 1);
    report.judge(ledger);

    assertThat(report.violations).hasSize(1);
  }
}
