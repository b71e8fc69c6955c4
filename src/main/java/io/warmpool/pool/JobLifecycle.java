package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.FailureReason;
import io.warmpool.bus.HopTrace;
import io.warmpool.bus.JobEvents;
import io.warmpool.config.WorkerConfig;
import io.warmpool.protocol.ChildMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Predicate;

/**
 * What happens to a job, from acceptance to its one terminal event: it waits, is handed to a
 * child, starts (and is timed), and ends. A job handed to a child that died before starting it
 * is handed to another, up to {@link #MAX_HAND_OVERS} times: none of its code ran, so the death
 * cannot be its fault. Every method runs on the pool's event loop.
 */
final class JobLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(JobLifecycle.class);
  static final int MAX_HAND_OVERS = 3;

  private final Vertx vertx;
  private final long defaultTimeoutMs;
  private final int maxEventsKept;
  private final long maxEventBytesKept;
  private final boolean traceHops;
  private final JobRegistry registry;
  private final Listener listener;

  /** Who hears of a job's events; each on the pool's event loop. */
  interface Listener {

    /** Every event of a job, terminal ones included, in order, numbered ({@code seq}). */
    void publish(JsonObject event);

    /** Events of a job dropped from what is kept for its clients (the job goes on). */
    void eventsDropped(int count);

    /** An ended job's record dropped, and why. */
    void recordDropped(JobRegistry.DropCause cause);

    void started(Job job);

    /** Each job once, as it ends, before its terminal event is published. */
    void ended(Job job);
  }

  JobLifecycle(Vertx vertx, WorkerConfig.Job config, Listener listener) {
    this.vertx = vertx;
    this.defaultTimeoutMs = config.timeoutMs();
    this.maxEventsKept = config.maxEventsKept();
    this.maxEventBytesKept = config.maxEventsKeptKb() * 1024L;
    this.traceHops = config.traceHops();
    this.registry = new JobRegistry(config.retainMs(), config.maxRecords(), config.maxRecordsMb() * 1024L * 1024L,
      listener::recordDropped);
    this.listener = listener;
  }

  // ---- what the pool asks ---------------------------------------------------------------

  boolean contains(String jobId) {
    return registry.contains(jobId);
  }

  Job get(String jobId) {
    return registry.get(jobId);
  }

  /** Whether the job ended and its record has been dropped since. */
  boolean wasDropped(String jobId) {
    return registry.wasDropped(jobId);
  }

  int waiting() {
    return registry.waiting().size();
  }

  boolean hasWaiting() {
    return !registry.waiting().isEmpty();
  }

  // ---- moves -----------------------------------------------------------------------------

  void accept(Job job) {
    registry.add(job);
  }

  /** Hands the job that has waited longest to an idle child. */
  void handOverNext(SupervisedChild child) {
    Job job = registry.nextWaiting();
    job.assign(child, System.nanoTime());
    child.handOver(job);
  }

  /** Its child reported it started: from now on it is timed, and a death of its child is its end. */
  void started(SupervisedChild child, Job job) {
    // job.timeoutMs is the operator's bound: a submission may ask for less, never for more
    long timeoutMs = job.timeoutMs > 0 && (defaultTimeoutMs <= 0 || job.timeoutMs < defaultTimeoutMs) ? job.timeoutMs : defaultTimeoutMs;
    long timer = timeoutMs <= 0 ? -1 : vertx.setTimer(timeoutMs,
      id -> child.kill(ExitCause.TIMEOUT, "the job ran longer than " + timeoutMs + " ms"));
    job.started(child.pid(), System.nanoTime(), System.currentTimeMillis(), timer);
    JsonObject event = JobEvents.started(job.id, child.pid());
    if (traceHops) {
      event.put(HopTrace.FIELD, HopTrace.ofPool(job.readNanos, job.acceptedNanos, job.assignedNanos(), job.startedNanos()));
    }
    publish(job, event);
    listener.started(job);
  }

  void output(Job job, Object data) {
    if (!job.isEnded()) {
      publish(job, JobEvents.output(job.id, data));
    }
  }

  /** A log record of the job: an event for its clients when they asked for logs, and only until it ends. */
  void log(Job job, ChildMessage.Log record) {
    if (job.logs && !job.isEnded()) {
      publish(job, JobEvents.log(job.id, record.level(), record.message(), record.fields()));
    }
  }

  /**
   * Ends a job with its terminal event and publishes it, once: a job that has ended already
   * keeps its first outcome and nothing is published.
   */
  boolean end(Job job, JsonObject terminalEvent) {
    if (!job.end(terminalEvent, System.currentTimeMillis())) {
      return false;
    }
    vertx.cancelTimer(job.timeoutTimer());
    keep(job, terminalEvent);
    registry.ended(job);
    listener.ended(job);
    listener.publish(terminalEvent);
    return true;
  }

  private void publish(Job job, JsonObject event) {
    keep(job, event);
    listener.publish(event);
  }

  /** Numbers the event and keeps it in the job's record, for a client that comes back. */
  private void keep(Job job, JsonObject event) {
    int dropped = job.record(event, maxEventsKept, maxEventBytesKept);
    if (dropped > 0) {
      listener.eventsDropped(dropped);
    }
  }

  /**
   * Cancels a job: its {@code cancelled} event goes out now. Returns the child it ran on, which
   * must not be reused (the job's code may hold anything) but may give the job a grace to clean
   * up, or {@code null} when there is none or the job had ended already.
   */
  SupervisedChild cancel(Job job) {
    if (!end(job, JobEvents.cancelled(job.id))) {
      return null;
    }
    SupervisedChild child = job.child();
    return child != null && child.job() == job ? child : null;
  }

  /**
   * Its child is being killed: a started job ends at once with the cause's reason, so the client
   * learns why without waiting for the reaping; one not started yet waits for the reaping, which
   * hands it to another child.
   */
  void childKilled(SupervisedChild child, ExitCause cause, String detail) {
    Job job = child.job();
    if (job != null && !job.isEnded() && !job.isAssigned()) {
      FailureReason reason = cause.jobReason == null ? FailureReason.CRASHED : cause.jobReason;
      end(job, JobEvents.failed(job.id, reason, detail));
    }
  }

  /** Its child is gone: a job it never started waits again (unless the pool is closing), any other fails {@code crashed}. */
  void childExited(SupervisedChild child, String exit, boolean closing) {
    Job job = child.job();
    if (job == null || job.isEnded()) {
      return;
    }
    if (job.isAssigned() && job.handOvers() < MAX_HAND_OVERS && !closing) {
      LOG.info("child {} died before starting job {}; handing it to another process", child, job.id);
      job.unassign();
      registry.waitFirst(job);
    } else {
      end(job, JobEvents.failed(job.id, FailureReason.CRASHED, exit));
    }
  }

  /** Ends the waiting jobs that match with {@code reason}. */
  void failWaiting(Predicate<Job> which, FailureReason reason, String detail) {
    for (Job job : List.copyOf(registry.waiting())) {
      if (which.test(job)) {
        end(job, JobEvents.failed(job.id, reason, detail));
      }
    }
  }

  /** Drops the records of jobs that ended {@code job.retainMs} ago or more. */
  void expire() {
    registry.expire(System.currentTimeMillis());
  }
}
