package io.warmpool.pool;

import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Submission;
import io.warmpool.protocol.ProtocolCodec;

/**
 * One accepted job and what became of it. Its state moves only through the methods below, and
 * only {@link JobLifecycle} calls them, on the pool's event loop. A job ends once: {@link #end}
 * refuses a second terminal event, which is what guarantees every accepted job exactly one.
 */
final class Job {

  enum State { WAITING, ASSIGNED, RUNNING, ENDED }

  final String id;
  /**
   * The {@code start} its child is given, with the payload, encoded once at admission
   * ({@link ProtocolCodec#encode}); until the job ends: a record kept afterwards must not hold a
   * payload of up to a frame.
   */
  private byte[] startFrame;
  final long timeoutMs;
  /** Its clients asked for its log records as {@code log} events. */
  final boolean logs;
  /** When the node read its submission ({@link Submission#readNanos()}). */
  final long readNanos;
  final long acceptedNanos;
  final long acceptedAtMillis;

  private State state = State.WAITING;
  private SupervisedChild child;
  private int handOvers;
  private long pid = -1;
  private long assignedNanos;
  private long startedNanos;
  private long startedAtMillis;
  private long endedAtMillis;
  private JsonObject terminalEvent;
  private long timeoutTimer = -1;
  private final JobEventLog events = new JobEventLog();

  Job(Submission submission, byte[] startFrame, long nowNanos, long nowMillis) {
    this.id = submission.jobId();
    this.startFrame = startFrame;
    this.timeoutMs = submission.timeoutMs();
    this.logs = submission.logs();
    this.readNanos = submission.readNanos();
    this.acceptedNanos = nowNanos;
    this.acceptedAtMillis = nowMillis;
  }

  /** What its child is given; {@code null} once the job has ended. */
  byte[] startFrame() {
    return startFrame;
  }

  State state() {
    return state;
  }

  boolean isEnded() {
    return state == State.ENDED;
  }

  /** Handed to a child that has not said it started yet: none of the job's code has run. */
  boolean isAssigned() {
    return state == State.ASSIGNED;
  }

  /** The child it was handed to; {@code null} while it waits. */
  SupervisedChild child() {
    return child;
  }

  int handOvers() {
    return handOvers;
  }

  long assignedNanos() {
    return assignedNanos;
  }

  /** When its child said it started; 0 if it never did. */
  long startedNanos() {
    return startedNanos;
  }

  long endedAtMillis() {
    return endedAtMillis;
  }

  /** {@code null} until it ends. */
  JsonObject terminalEvent() {
    return terminalEvent;
  }

  void assign(SupervisedChild child, long nowNanos) {
    this.state = State.ASSIGNED;
    this.child = child;
    this.assignedNanos = nowNanos;
    this.handOvers++;
  }

  /** Its child died before starting it: it waits again, for another. */
  void unassign() {
    this.state = State.WAITING;
    this.child = null;
  }

  void started(long pid, long nowNanos, long nowMillis, long timeoutTimer) {
    this.state = State.RUNNING;
    this.pid = pid;
    this.startedNanos = nowNanos;
    this.startedAtMillis = nowMillis;
    this.timeoutTimer = timeoutTimer;
  }

  /** The timer that kills its child when it runs too long; -1 if none. */
  long timeoutTimer() {
    return timeoutTimer;
  }

  /** Records the terminal event; false when the job had ended already (the event must then be dropped). */
  boolean end(JsonObject event, long nowMillis) {
    if (state == State.ENDED) {
      return false;
    }
    state = State.ENDED;
    startFrame = null;
    terminalEvent = event;
    endedAtMillis = nowMillis;
    return true;
  }

  /**
   * Numbers the event and keeps it for a client that comes back.
   *
   * @return how many older events were dropped to stay within the bounds
   */
  int record(JsonObject event, int maxEvents, long maxBytes) {
    return events.append(event, maxEvents, maxBytes);
  }

  /** The kept events after {@code seq}, for a client that saw up to it. */
  JobEventLog.Replay eventsAfter(long seq) {
    return events.after(seq);
  }

  /** What its kept events weigh, about. */
  long eventBytes() {
    return events.bytes();
  }

  /** The job's record, as {@code <prefix>.jobs.get} and the WebSocket {@code watch} return it. */
  JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("jobId", id)
      .put("state", state == State.ENDED ? terminalEvent.getString("event") : state.name().toLowerCase())
      .put("acceptedAt", acceptedAtMillis)
      .put("handOvers", handOvers)
      .put("lastSeq", events.nextSeq() - 1);
    if (pid > 0) {
      json.put("pid", pid);
    }
    if (startedAtMillis > 0) {
      json.put("startedAt", startedAtMillis).put("startLatencyMs", (startedNanos - acceptedNanos) / 1e6);
    }
    if (state == State.ENDED) {
      json.put("endedAt", endedAtMillis).put("terminal", terminalEvent.copy());
    }
    return json;
  }
}
