package io.warmpool.chaos;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of a chaos run: what was done, what every job got, and every broken invariant.
 *
 * <p>The rules a job's terminal event is held to:
 * <ul>
 *   <li>every accepted job gets exactly one terminal event; a rejected job none; no event names
 *       a job that was never submitted;</li>
 *   <li>a steady-load job ends {@code completed}; a fault job ends failed with its fault's
 *       reason ({@link Fault#expectedReason});</li>
 *   <li>a job whose process the monkey signalled between the job's submission and its end may
 *       also end {@code failed crashed}: that is what a killed or hung process means for its job.
 *       Nothing else is excused: a job handed to a process that was signalled before it started
 *       the job must run elsewhere and end as it would have.</li>
 * </ul>
 * A signal counts as hitting a running child when a job of that pid was in flight at any
 * moment while it was being sent, whatever the monkey aimed at (an idle child can take a job
 * and start it before the signal lands).
 */
final class ChaosReport {

  final long seconds;
  final long seed;
  final List<String> violations = new ArrayList<>();
  final Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
  /** Outcome ("completed", "failed crashed", …) → count per worker name. */
  final Map<String, Map<String, Integer>> outcomes = new TreeMap<>();
  final Map<String, Integer> rejected = new TreeMap<>();
  int submitted;
  int accepted;
  int lost;
  int duplicated;
  int unexpected;
  int excusedByHit;
  long leakedWhileRunning;
  long leakedAfterStop;
  long maxInfoLatencyMs;
  int maxConsecutiveInitFailures;
  boolean degradedSeen;
  final Map<String, JsonObject> finalInfo = new TreeMap<>();

  ChaosReport(long seconds, long seed) {
    this.seconds = seconds;
    this.seed = seed;
  }

  void violation(String what) {
    violations.add(what);
  }

  boolean passed() {
    return violations.isEmpty();
  }

  /** Judges every job of the ledger by the rules above and counts faults and outcomes. */
  void judge(JobLedger ledger) {
    List<JobLedger.Entry> jobs = ledger.jobs();
    List<JobLedger.Hit> hits = ledger.hits();
    for (JobLedger.Hit hit : hits) {
      boolean onRunningJob = jobs.stream().anyMatch(job -> inFlightAt(job, hit));
      faults.merge(onRunningJob ? running(hit.fault()) : idle(hit.fault()), 1, Integer::sum);
    }
    for (JobLedger.Entry job : jobs) {
      submitted++;
      if (!Boolean.TRUE.equals(job.accepted)) {
        rejected.merge(job.rejectReason == null ? "no answer" : job.rejectReason, 1, Integer::sum);
        if (!job.terminals.isEmpty()) {
          violation("job " + job.id + " was not accepted but got " + job.terminals);
        }
        continue;
      }
      accepted++;
      if (job.fault != null && !job.fault.isSignal()) {
        faults.merge(job.fault, 1, Integer::sum);
      }
      if (job.terminals.isEmpty()) {
        lost++;
        violation("job " + job.id + " (" + job.op + ") got no terminal event");
        continue;
      }
      if (job.terminals.size() > 1) {
        duplicated++;
        violation("job " + job.id + " got " + job.terminals.size() + " terminal events: " + job.terminals);
      }
      String outcome = job.outcome();
      outcomes.computeIfAbsent(outcome, o -> new TreeMap<>()).merge(job.worker, 1, Integer::sum);
      String expected = job.expectedReason() == null ? "completed" : "failed " + job.expectedReason();
      boolean hit = hits.stream().anyMatch(h -> inFlightAt(job, h));
      if (outcome.equals(expected)) {
        continue;
      }
      if (hit && outcome.equals("failed crashed")) {
        excusedByHit++;
        continue;
      }
      unexpected++;
      violation("job " + job.id + " (" + job.op + (job.fault == null ? "" : ", " + job.fault.label()) + ", pid " + job.pid
        + (hit ? ", its process signalled" : "") + ") ended " + job.terminals.get(0) + ", expected " + expected);
    }
    for (JsonObject stray : ledger.strayEvents()) {
      violation("an event for a job never submitted there: " + stray);
    }
  }

  private static boolean inFlightAt(JobLedger.Entry job, JobLedger.Hit hit) {
    return hit.mayHaveHit(job.pid, job.submittedNanos, job.endedNanos);
  }

  private static Fault running(Fault fault) {
    return fault == Fault.KILL_IDLE ? Fault.KILL_RUNNING : fault == Fault.STOP_IDLE ? Fault.STOP_RUNNING : fault;
  }

  private static Fault idle(Fault fault) {
    return fault == Fault.KILL_RUNNING ? Fault.KILL_IDLE : fault == Fault.STOP_RUNNING ? Fault.STOP_IDLE : fault;
  }

  /** The summary printed at the end of a run (and kept in docs/reliability.md). */
  String summary() {
    StringBuilder out = new StringBuilder();
    out.append(String.format("chaos run: %d s, seed %d%n", seconds, seed));
    out.append(String.format("%njobs submitted                 %6d%n", submitted));
    out.append(String.format("  accepted                     %6d%n", accepted));
    rejected.forEach((reason, n) -> out.append(String.format("  rejected (%s)%s%6d%n", reason, " ".repeat(Math.max(1, 18 - reason.length())), n)));
    out.append(String.format("%nfaults injected                %6d%n", faults.values().stream().mapToInt(Integer::intValue).sum()));
    for (Fault fault : Fault.values()) {
      out.append(String.format("  %-28s %6d   %s -> %s%n", fault.label(), faults.getOrDefault(fault, 0), fault.description,
        fault.expectedReason == null ? "no job hit; replaced" : fault.expectedReason));
    }
    out.append(String.format("%nterminal events by reason      %6s %6s %6s%n", "java", "python", "total"));
    outcomes.forEach((outcome, byWorker) -> out.append(String.format("  %-28s %6d %6d %6d%n", outcome,
      byWorker.getOrDefault("java", 0), byWorker.getOrDefault("python", 0),
      byWorker.values().stream().mapToInt(Integer::intValue).sum())));
    out.append(String.format("  (failed crashed excused: the job's process was signalled while it ran: %d)%n", excusedByHit));
    out.append(String.format("%nlost jobs (no terminal event)  %6d%n", lost));
    out.append(String.format("duplicate terminal events      %6d%n", duplicated));
    out.append(String.format("unexpected reasons             %6d%n", unexpected));
    out.append(String.format("leaked processes (running)     %6d%n", leakedWhileRunning));
    out.append(String.format("leaked processes (after stop)  %6d%n", leakedAfterStop));
    out.append(String.format("%nworker health: degraded %s, most init failures in a row %d, slowest worker.info %d ms%n",
      degradedSeen ? "SEEN" : "never", maxConsecutiveInitFailures, maxInfoLatencyMs));
    finalInfo.forEach((name, info) -> {
      JsonObject pool = info.getJsonObject("pool");
      out.append(String.format("pool %-6s at the end: status %s, idle %d / target %d (maxIdle %d), initializing %d, running %d, exiting %d%n",
        name, info.getString("status"), pool.getInteger("idle"), pool.getInteger("targetIdle"), pool.getInteger("maxIdle"),
        pool.getInteger("initializing"), pool.getInteger("running"), pool.getInteger("exiting")));
    });
    out.append(String.format("%nviolations: %s%n", violations.isEmpty() ? "none" : violations.size()));
    violations.stream().limit(50).forEach(v -> out.append("  - ").append(v).append(System.lineSeparator()));
    return out.toString();
  }
}
