package io.warmpool.testbed;

import java.util.ArrayList;
import java.util.List;

/**
 * What one run of a scenario produced, and whether it passes: every job ended with exactly
 * one terminal event, the worker stayed healthy, and the scenario's expectations were seen.
 *
 * @param worker    how the worker the load test started ended; null against {@code --url}
 * @param runIssues what the run itself noticed (lost connections, a pool that never warmed)
 * @param notes     what a reader should know that does not fail the run (a machine busy before the load)
 * @param scaling   the pool's spawns and reaps during the load (from its {@code /metrics}); null if not counted
 */
public record RunResult(Scenario scenario, Scenario.Variant variant, Recorder recorder, Timeline timeline, long loadMs,
                        List<String> runIssues, List<String> notes, WorkerProcess.Outcome worker, ScalingCounts scaling) {

  public String name() {
    return variant.name();
  }

  /** Everything that makes the run fail; empty for a good run. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>(runIssues);
    long lost = recorder.outcome("noTerminalEvent");
    if (lost > 0) {
      problems.add(lost + " jobs got no terminal event (" + recorder.noReply() + " of them no reply to the submission)");
    }
    if (recorder.duplicateTerminalEvents() > 0) {
      problems.add(recorder.duplicateTerminalEvents() + " jobs got a second terminal event");
    }
    if (recorder.unexpectedOutcomes() > 0) {
      problems.add(recorder.unexpectedOutcomes() + " jobs ended otherwise than expected: "
        + String.join("; ", recorder.unexpectedExamples().stream().limit(3).toList()));
    }
    long errors = recorder.errorsByCode().values().stream().mapToLong(Long::longValue).sum();
    if (errors > 0) {
      problems.add(errors + " error frames from the worker " + recorder.errorsByCode());
    }
    if (worker != null) {
      if (worker.diedDuringRun()) {
        problems.add("the worker exited during the run with code " + worker.exitCode() + " (see " + worker.log().getFileName() + ")");
      } else if (worker.killed()) {
        problems.add("the worker did not stop within " + WorkerProcess.STOP_WITHIN_MS / 1000 + " s of SIGTERM and was killed");
      } else if (worker.exitCode() != 0 && worker.exitCode() != 143) {
        problems.add("the worker exited with code " + worker.exitCode());
      }
      if (worker.errorLines() > 0) {
        problems.add(worker.errorLines() + " ERROR lines in " + worker.log().getFileName() + ", first: " + worker.firstErrors().get(0));
      }
      if (worker.leftoverProcesses() > 0) {
        problems.add(worker.leftoverProcesses() + " pooled processes outlived the worker (killed by the load test)");
      }
    }
    Scenario.Expect expect = scenario.expect();
    if (expect.full() && !timeline.sawStatus("full")) {
      problems.add("expected the worker to become full; it never did (highest load " + String.format("%.2f", timeline.maxLoad()) + ")");
    }
    if (expect.targetZero() && !timeline.sawTargetZero()) {
      problems.add("expected the idle target to fall to 0; it never did");
    }
    if (expect.rejections() && recorder.outcome("rejected") == 0) {
      problems.add("expected rejections; there were none");
    }
    if (expect.recovered() && !timeline.recoveredAfterFull()) {
      problems.add("expected the worker to become available again after being full, with an idle target above 0; it did not");
    }
    return problems;
  }
}
