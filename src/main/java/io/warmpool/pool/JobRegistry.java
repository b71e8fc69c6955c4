package io.warmpool.pool;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Every job the worker knows: those waiting for a process, those running, and the records of
 * ended ones, kept {@code job.retainMs} (so a client that reconnects can still read a job's
 * outcome) and at most {@link #MAX_ENDED_RECORDS}. Storage only: what happens to a job is
 * {@link JobLifecycle}'s to say.
 */
final class JobRegistry {

  static final int MAX_ENDED_RECORDS = 100_000;

  private final long retainMs;
  private final Map<String, Job> jobs = new HashMap<>();
  private final ArrayDeque<Job> waiting = new ArrayDeque<>();
  private final ArrayDeque<Job> ended = new ArrayDeque<>();

  JobRegistry(long retainMs) {
    this.retainMs = retainMs;
  }

  boolean contains(String jobId) {
    return jobs.containsKey(jobId);
  }

  Job get(String jobId) {
    return jobs.get(jobId);
  }

  /** Takes an accepted job; it waits for a process until {@link #nextWaiting()} hands it out. */
  void add(Job job) {
    jobs.put(job.id, job);
    waiting.addLast(job);
  }

  ArrayDeque<Job> waiting() {
    return waiting;
  }

  Job nextWaiting() {
    return waiting.pollFirst();
  }

  /** A job whose hand-over was lost goes first: it was accepted before every job still waiting. */
  void waitFirst(Job job) {
    waiting.addFirst(job);
  }

  /** Keeps an ended job's record until it expires. */
  void ended(Job job) {
    waiting.remove(job);
    ended.addLast(job);
  }

  /** Forgets ended jobs whose records are older than {@code job.retainMs}, or beyond the count bound. */
  void expire(long nowMillis) {
    while (!ended.isEmpty()
      && (ended.size() > MAX_ENDED_RECORDS || nowMillis - ended.peekFirst().endedAtMillis() >= retainMs)) {
      jobs.remove(ended.pollFirst().id);
    }
  }
}
