package io.warmpool.pool;

import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every job the worker knows: those waiting for a process, those running, and the records of
 * ended ones, kept {@code job.retainMs} (so a client that reconnects can still read a job's
 * outcome) and at most {@link #MAX_ENDED_RECORDS}.
 */
final class JobRegistry {

  static final int MAX_ENDED_RECORDS = 100_000;

  private final long retainMs;
  private final Consumer<JsonObject> publisher;
  private final Consumer<Job> endedListener;
  private final Map<String, Job> jobs = new HashMap<>();
  private final ArrayDeque<Job> waiting = new ArrayDeque<>();
  private final ArrayDeque<Job> ended = new ArrayDeque<>();

  /**
   * @param publisher     gets every event of a job, terminal ones included
   * @param endedListener gets each job once as it ends, before its terminal event is published
   */
  JobRegistry(long retainMs, Consumer<JsonObject> publisher, Consumer<Job> endedListener) {
    this.retainMs = retainMs;
    this.publisher = publisher;
    this.endedListener = endedListener;
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

  /** Puts a job whose hand-over failed back at the head of the queue. */
  void requeue(Job job) {
    job.state = Job.State.WAITING;
    job.process = null;
    waiting.addFirst(job);
  }

  /** Publishes a non-terminal event of a job that has not ended. */
  void publish(Job job, JsonObject event) {
    if (!job.isEnded()) {
      publisher.accept(event);
    }
  }

  /**
   * Ends a job with its terminal event and publishes it, once: a job that has ended already
   * keeps its first outcome and nothing is published.
   */
  boolean end(Job job, JsonObject terminalEvent, long nowMillis) {
    if (!job.end(terminalEvent, nowMillis)) {
      return false;
    }
    waiting.remove(job);
    ended.addLast(job);
    endedListener.accept(job);
    publisher.accept(terminalEvent);
    return true;
  }

  /** Forgets ended jobs whose records are older than {@code job.retainMs}, or beyond the count bound. */
  void expire(long nowMillis) {
    while (!ended.isEmpty()
      && (ended.size() > MAX_ENDED_RECORDS || nowMillis - ended.peekFirst().endedAtMillis >= retainMs)) {
      jobs.remove(ended.pollFirst().id);
    }
  }
}
