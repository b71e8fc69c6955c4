package io.warmpool.pool;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every job the worker knows: those waiting for a process, those running, and the records of
 * ended ones, kept so that a client that reconnects can still read a job's outcome and the
 * events it missed. Ended records are bounded three ways, the oldest going first: by age
 * ({@code job.retainMs}), by count ({@code job.maxRecords}) and by what their kept events weigh
 * ({@code job.maxRecordsMb}). The ids of dropped records are remembered (as many as
 * {@code job.maxRecords}), so that asking for one says it is gone rather than unknown. Storage
 * only: what happens to a job is {@link JobLifecycle}'s to say.
 */
final class JobRegistry {

  /** Why an ended job's record was dropped, for the metric that counts them. */
  enum DropCause { AGE, COUNT, BYTES }

  /** Told of each record dropped, with why. */
  interface DropListener {
    void recordDropped(DropCause cause);
  }

  private final long retainMs;
  private final int maxRecords;
  private final long maxBytes;
  private final DropListener dropListener;
  private final Map<String, Job> jobs = new HashMap<>();
  private final ArrayDeque<Job> waiting = new ArrayDeque<>();
  private final ArrayDeque<Job> ended = new ArrayDeque<>();
  private long endedBytes;
  private final Map<String, Boolean> dropped;

  JobRegistry(long retainMs, int maxRecords, long maxBytes, DropListener dropListener) {
    this.retainMs = retainMs;
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.dropListener = dropListener;
    this.dropped = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > maxRecords;
      }
    };
  }

  boolean contains(String jobId) {
    return jobs.containsKey(jobId);
  }

  Job get(String jobId) {
    return jobs.get(jobId);
  }

  /** Whether the job ended and its record has been dropped since (while its id is remembered). */
  boolean wasDropped(String jobId) {
    return dropped.containsKey(jobId);
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

  /** Keeps an ended job's record (its events all kept by now), within the count and size bounds. */
  void ended(Job job) {
    waiting.remove(job);
    ended.addLast(job);
    endedBytes += job.eventBytes();
    while (ended.size() > 1 && (ended.size() > maxRecords || endedBytes > maxBytes)) {
      dropOldest(ended.size() > maxRecords ? DropCause.COUNT : DropCause.BYTES);
    }
  }

  /** Drops the records of jobs that ended {@code job.retainMs} ago or more. */
  void expire(long nowMillis) {
    while (!ended.isEmpty() && nowMillis - ended.peekFirst().endedAtMillis() >= retainMs) {
      dropOldest(DropCause.AGE);
    }
  }

  private void dropOldest(DropCause cause) {
    Job job = ended.pollFirst();
    endedBytes -= job.eventBytes();
    jobs.remove(job.id);
    dropped.put(job.id, Boolean.TRUE);
    dropListener.recordDropped(cause);
  }
}
