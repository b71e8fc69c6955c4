package io.warmpool.chaos;

import io.vertx.core.json.JsonObject;
import io.warmpool.bus.JobEvents;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the chaos run submitted and everything the workers said about it: every job with
 * its intent, its pid once started and every terminal event it got, and every signal the monkey
 * sent. Written by the load, the monkey and the workers' event consumers at once: every method
 * is synchronized.
 */
final class JobLedger {

  /** One submitted job. {@code fault} is null for the steady load's jobs. */
  static final class Entry {
    final String id;
    final String worker;
    final Fault fault;
    final String op;
    final long submittedNanos;
    Boolean accepted;
    String rejectReason;
    long pid = -1;
    long startedNanos;
    long endedNanos;
    final List<JsonObject> terminals = new ArrayList<>();

    Entry(String id, String worker, Fault fault, String op, long submittedNanos) {
      this.id = id;
      this.worker = worker;
      this.fault = fault;
      this.op = op;
      this.submittedNanos = submittedNanos;
    }

    /** The reason this job must end with when nothing else hit it: null means {@code completed}. */
    String expectedReason() {
      return fault == null ? null : fault.expectedReason;
    }

    boolean running() {
      return pid > 0 && terminals.isEmpty();
    }

    /** "completed", or "failed reason", or "cancelled". */
    String outcome() {
      JsonObject terminal = terminals.get(0);
      String event = terminal.getString("event");
      return JobEvents.FAILED.equals(event) ? event + " " + terminal.getString("reason") : event;
    }
  }

  /**
   * A signal sent to a child process: it lands somewhere between {@code sentNanos} and
   * {@code landedByNanos} ({@link Long#MAX_VALUE} while the sending is not done).
   */
  record Hit(Fault fault, long pid, long sentNanos, long landedByNanos) {

    /** Whether the signal may have landed while this job of the same process was in flight. */
    boolean mayHaveHit(long pid, long submittedNanos, long endedNanos) {
      return this.pid == pid && submittedNanos <= landedByNanos && (endedNanos == 0 || endedNanos >= sentNanos);
    }
  }

  private final Map<String, Entry> jobs = new LinkedHashMap<>();
  private final List<Hit> hits = new ArrayList<>();
  private final List<JsonObject> strayEvents = new ArrayList<>();

  /** Recorded before the request is sent, so no event can arrive for a job not known yet. */
  synchronized void submitted(String id, String worker, Fault fault, String op) {
    jobs.put(id, new Entry(id, worker, fault, op, System.nanoTime()));
  }

  synchronized void answered(String id, JsonObject reply) {
    Entry entry = jobs.get(id);
    entry.accepted = "accepted".equals(reply.getString("type"));
    if (!entry.accepted) {
      entry.rejectReason = reply.getString("reason", reply.getString("type"));
    }
  }

  synchronized void onEvent(String worker, JsonObject event) {
    Entry entry = jobs.get(event.getString("jobId"));
    if (entry == null || !entry.worker.equals(worker)) {
      strayEvents.add(event.copy().put("worker", worker));
      return;
    }
    if (JobEvents.STARTED.equals(event.getString("event"))) {
      entry.pid = event.getLong("pid", -1L);
      entry.startedNanos = System.nanoTime();
    } else if (JobEvents.isTerminal(event)) {
      entry.terminals.add(event);
      entry.endedNanos = System.nanoTime();
    }
  }

  /** Recorded before the signal is sent, so a job that ends at once is known to have been hit. */
  synchronized Hit hit(Fault fault, long pid) {
    Hit hit = new Hit(fault, pid, System.nanoTime(), Long.MAX_VALUE);
    hits.add(hit);
    return hit;
  }

  /**
   * The signal was sent. Sending {@code kill -STOP} takes a process start, time in which a job
   * can be handed to the child and start: that job was hit as well.
   */
  synchronized void landed(Hit hit) {
    hits.set(hits.indexOf(hit), new Hit(hit.fault(), hit.pid(), hit.sentNanos(), System.nanoTime()));
  }

  /** A signal that could not be sent (the process was gone already). */
  synchronized void retract(Hit hit) {
    hits.remove(hit);
  }

  /** How many jobs were submitted and how many of them have ended, for progress lines. */
  synchronized String progress() {
    long ended = jobs.values().stream().filter(e -> !e.terminals.isEmpty()).count();
    return jobs.size() + " jobs submitted, " + ended + " ended, " + hits.size() + " signals sent";
  }

  /** Pids of the worker's children that run a job now, as far as the events have told. */
  synchronized Set<Long> runningPids(String worker) {
    Set<Long> pids = new HashSet<>();
    for (Entry entry : jobs.values()) {
      if (entry.worker.equals(worker) && entry.running()) {
        pids.add(entry.pid);
      }
    }
    return pids;
  }

  /** Pids of the worker's children that have run a job to its end: they are past their initialisation. */
  synchronized Set<Long> usedPids(String worker) {
    Set<Long> pids = new HashSet<>();
    for (Entry entry : jobs.values()) {
      if (entry.worker.equals(worker) && entry.pid > 0 && !entry.terminals.isEmpty()) {
        pids.add(entry.pid);
      }
    }
    return pids;
  }

  /** Steady-load jobs of the worker that run an op of {@code op} now, oldest first. */
  synchronized List<Entry> runningSteadyJobs(String worker, String op) {
    return jobs.values().stream()
      .filter(e -> e.worker.equals(worker) && e.fault == null && e.op.equals(op) && e.running())
      .toList();
  }

  /** Accepted (or not yet answered) jobs of the worker without a terminal event. */
  synchronized int inFlight(String worker, boolean steadyOnly) {
    int count = 0;
    for (Entry entry : jobs.values()) {
      if (entry.worker.equals(worker) && !Boolean.FALSE.equals(entry.accepted) && entry.terminals.isEmpty()
        && (!steadyOnly || entry.fault == null)) {
        count++;
      }
    }
    return count;
  }

  synchronized boolean wasHit(long pid) {
    return hits.stream().anyMatch(h -> h.pid() == pid);
  }

  synchronized List<Entry> jobs() {
    return List.copyOf(jobs.values());
  }

  synchronized List<Hit> hits() {
    return List.copyOf(hits);
  }

  synchronized List<JsonObject> strayEvents() {
    return List.copyOf(strayEvents);
  }
}
