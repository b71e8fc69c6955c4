package io.warmpool.testbed;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What happened to every job of a run, as the client saw it: start latency (from sending the
 * submission to receiving {@code started}) in an HdrHistogram, counts by outcome, and a record
 * per job so that a job without a terminal event is found, not assumed away.
 *
 * <p>Times are passed in, never read here, so a test can feed a known data set. Not thread
 * safe: a run uses it from its one Vert.x context.
 */
public final class Recorder {

  /** Latencies are recorded in microseconds up to an hour, to 3 significant digits. */
  static final long HIGHEST_US = 3_600_000_000L;

  /** Each job ends in exactly one of these, from the client's point of view. */
  public static final List<String> OUTCOMES = List.of("completed", "failed", "cancelled", "rejected", "error", "noTerminalEvent");

  enum Phase { SENT, ACCEPTED, STARTED, ENDED }

  static final class Job {
    final String id;
    final JobMix.Entry entry;
    final long sentNanos;
    final long deadlineNanos;
    Phase phase = Phase.SENT;
    String outcome;
    /** The process running it, once started. */
    long pid = -1;

    Job(String id, JobMix.Entry entry, long sentNanos, long deadlineNanos) {
      this.id = id;
      this.entry = entry;
      this.sentNanos = sentNanos;
      this.deadlineNanos = deadlineNanos;
    }
  }

  private final Histogram startLatencyUs = new Histogram(HIGHEST_US, 3);
  private final Map<String, Job> jobs = new HashMap<>();
  private final Map<String, Job> open = new LinkedHashMap<>();
  private final Map<String, Long> outcomes = new LinkedHashMap<>();
  private final Map<String, Long> rejectedByReason = new TreeMap<>();
  private final Map<String, Long> failedByReason = new TreeMap<>();
  private final Map<String, Long> errorsByCode = new TreeMap<>();
  private final List<String> unexpected = new ArrayList<>();
  private long submitted;
  private long accepted;
  private long started;
  private long completedWorkMs;
  private long unexpectedOutcomes;
  private long noReply;
  private long lateTerminalEvents;
  private long duplicateTerminalEvents;
  private long strayEvents;
  private long firstSubmitNanos = -1;
  private long lastStartNanos = -1;
  private long lastEndNanos = -1;

  public Recorder() {
    OUTCOMES.forEach(o -> outcomes.put(o, 0L));
  }

  public void submitted(String id, JobMix.Entry entry, long nowNanos, long deadlineNanos) {
    Job job = new Job(id, entry, nowNanos, deadlineNanos);
    jobs.put(id, job);
    open.put(id, job);
    submitted++;
    if (firstSubmitNanos < 0) {
      firstSubmitNanos = nowNanos;
    }
  }

  public void accepted(String id) {
    Job job = open.get(id);
    if (job != null && job.phase == Phase.SENT) {
      job.phase = Phase.ACCEPTED;
      accepted++;
    }
  }

  public void rejected(String id, String reason, long nowNanos) {
    Job job = open.get(id);
    if (job == null) {
      strayEvents++;
      return;
    }
    count(rejectedByReason, reason == null ? "unknown" : reason);
    end(job, "rejected", nowNanos);
  }

  public void started(String id, long pid, long nowNanos) {
    Job job = jobs.get(id);
    if (job == null) {
      strayEvents++;
      return;
    }
    if (job.phase == Phase.STARTED || job.phase == Phase.ENDED) {
      // a started after the deadline expired the job is not a latency of this run
      return;
    }
    if (job.phase == Phase.SENT) {
      // started may overtake accepted: they travel by different event-bus paths
      accepted++;
    }
    job.phase = Phase.STARTED;
    job.pid = pid;
    started++;
    startLatencyUs.recordValue(Math.min(HIGHEST_US, Math.max(0, (nowNanos - job.sentNanos) / 1000)));
    lastStartNanos = Math.max(lastStartNanos, nowNanos);
  }

  /** A terminal job event: {@code completed}, {@code failed} (with its reason) or {@code cancelled}. */
  public void ended(String id, String event, String reason, long nowNanos) {
    Job job = jobs.get(id);
    if (job == null) {
      strayEvents++;
      return;
    }
    if (job.phase == Phase.ENDED) {
      if ("noTerminalEvent".equals(job.outcome)) {
        lateTerminalEvents++;
      } else {
        duplicateTerminalEvents++;
      }
      return;
    }
    if (job.phase == Phase.SENT) {
      accepted++;
    }
    if ("failed".equals(event)) {
      count(failedByReason, reason == null ? "unknown" : reason);
    } else if ("completed".equals(event)) {
      completedWorkMs += job.entry.cpuWorkMs();
    }
    end(job, event, nowNanos);
  }

  /** An {@code error} frame for the submission: it was not taken. */
  public void error(String id, String code, long nowNanos) {
    Job job = open.get(id);
    count(errorsByCode, code == null ? "unknown" : code);
    if (job != null) {
      end(job, "error", nowNanos);
    }
  }

  /** An error frame not tied to a job: counted, as the worker should not send any. */
  public void error(String code) {
    count(errorsByCode, code == null ? "unknown" : code);
  }

  /** Jobs past their deadline now count as having no terminal event. */
  public int expire(long nowNanos) {
    List<Job> overdue = new ArrayList<>();
    for (Job job : open.values()) {
      if (nowNanos >= job.deadlineNanos) {
        overdue.add(job);
      }
    }
    overdue.forEach(this::lose);
    return overdue.size();
  }

  /** The run is over: every job still open has no terminal event. */
  public int expireAll() {
    List<Job> rest = new ArrayList<>(open.values());
    rest.forEach(this::lose);
    return rest.size();
  }

  private void lose(Job job) {
    if (job.phase == Phase.SENT) {
      noReply++;
    }
    job.phase = Phase.ENDED;
    job.outcome = "noTerminalEvent";
    open.remove(job.id);
    outcomes.merge("noTerminalEvent", 1L, Long::sum);
    if (unexpected.size() < 20) {
      unexpected.add(job.id + " (" + job.entry.name() + "): no terminal event");
    }
  }

  private void end(Job job, String outcome, long nowNanos) {
    job.phase = Phase.ENDED;
    job.outcome = outcome;
    open.remove(job.id);
    outcomes.merge(outcome, 1L, Long::sum);
    lastEndNanos = Math.max(lastEndNanos, nowNanos);
    boolean wasTaken = !outcome.equals("rejected");
    if (wasTaken && !outcome.equals(job.entry.outcome())) {
      unexpectedOutcomes++;
      if (unexpected.size() < 20) {
        unexpected.add(job.id + " (" + job.entry.name() + "): " + outcome + " where " + job.entry.outcome() + " was expected");
      }
    }
  }

  private static void count(Map<String, Long> counts, String key) {
    counts.merge(key, 1L, Long::sum);
  }

  // ---- reading -------------------------------------------------------------------------

  /** Jobs sent that have no outcome yet. */
  public int openJobs() {
    return open.size();
  }

  /** The processes running the jobs that started and have not ended, as the client sees them. */
  public Set<Long> runningPids() {
    Set<Long> pids = new HashSet<>();
    for (Job job : open.values()) {
      if (job.phase == Phase.STARTED && job.pid > 0) {
        pids.add(job.pid);
      }
    }
    return pids;
  }

  /** The CPU work of the completed jobs (what their payloads ask to burn), in ms. */
  public long completedWorkMs() {
    return completedWorkMs;
  }

  /** Jobs started that have not ended: running as the client sees it. */
  public long running() {
    return open.values().stream().filter(j -> j.phase == Phase.STARTED).count();
  }

  public long submitted() {
    return submitted;
  }

  public long accepted() {
    return accepted;
  }

  public long started() {
    return started;
  }

  public long outcome(String outcome) {
    return outcomes.getOrDefault(outcome, 0L);
  }

  /** Every job with its one outcome. */
  public Map<String, Long> outcomes() {
    return Map.copyOf(outcomes);
  }

  public Map<String, Long> rejectedByReason() {
    return Map.copyOf(rejectedByReason);
  }

  public Map<String, Long> failedByReason() {
    return Map.copyOf(failedByReason);
  }

  public Map<String, Long> errorsByCode() {
    return Map.copyOf(errorsByCode);
  }

  /** Jobs that were taken but ended otherwise than their mix entry says they should. */
  public long unexpectedOutcomes() {
    return unexpectedOutcomes;
  }

  /** A few of the jobs that ended unexpectedly or not at all, to name in the report. */
  public List<String> unexpectedExamples() {
    return List.copyOf(unexpected);
  }

  /** Jobs whose submission got no reply at all (they are among {@code noTerminalEvent}). */
  public long noReply() {
    return noReply;
  }

  /** Terminal events that came after the job's deadline had passed. */
  public long lateTerminalEvents() {
    return lateTerminalEvents;
  }

  /** A second terminal event for one job: the worker broke its contract. */
  public long duplicateTerminalEvents() {
    return duplicateTerminalEvents;
  }

  /** Events for jobs this run never sent. */
  public long strayEvents() {
    return strayEvents;
  }

  /** A copy: the run's own keeps growing. */
  public Histogram startLatencyUs() {
    return startLatencyUs.copy();
  }

  /** Start latency at a percentile, in ms; 0 before any job started. */
  public double startLatencyMs(double percentile) {
    return startLatencyUs.getTotalCount() == 0 ? 0 : startLatencyUs.getValueAtPercentile(percentile) / 1000.0;
  }

  /** From the first submission to the last {@code started}, in ms; 0 if nothing started. */
  public double timeToLastStartMs() {
    return lastStartNanos < 0 ? 0 : (lastStartNanos - firstSubmitNanos) / 1e6;
  }

  /** From the first submission to the last terminal event, in ms; 0 if nothing ended. */
  public double spanMs() {
    return lastEndNanos < 0 ? 0 : (lastEndNanos - firstSubmitNanos) / 1e6;
  }
}
