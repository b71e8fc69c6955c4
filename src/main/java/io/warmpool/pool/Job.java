package io.warmpool.pool;

import io.vertx.core.json.JsonObject;

/**
 * One accepted job and what became of it. Owned by the pool's event loop. A job ends once:
 * {@link #end} refuses a second terminal event, which is what guarantees every accepted job
 * exactly one.
 */
final class Job {

  enum State { WAITING, ASSIGNED, RUNNING, ENDED }

  final String id;
  final JsonObject payload;
  final long timeoutMs;
  final long acceptedNanos;
  final long acceptedAtMillis;

  State state = State.WAITING;
  ChildProcess process;
  int handOvers;
  long pid = -1;
  long assignedNanos;
  long startedNanos;
  long startedAtMillis;
  long endedAtMillis;
  JsonObject terminalEvent;
  long expiryTimer = -1;

  Job(String id, JsonObject payload, long timeoutMs, long nowNanos, long nowMillis) {
    this.id = id;
    this.payload = payload;
    this.timeoutMs = timeoutMs;
    this.acceptedNanos = nowNanos;
    this.acceptedAtMillis = nowMillis;
  }

  boolean isEnded() {
    return state == State.ENDED;
  }

  /** Records the terminal event; false when the job had ended already (the event must then be dropped). */
  boolean end(JsonObject event, long nowMillis) {
    if (state == State.ENDED) {
      return false;
    }
    state = State.ENDED;
    terminalEvent = event;
    endedAtMillis = nowMillis;
    return true;
  }

  /** The job's record, as {@code warmpool.jobs.get} and the WebSocket {@code watch} return it. */
  JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("jobId", id)
      .put("state", state == State.ENDED ? terminalEvent.getString("event") : state.name().toLowerCase())
      .put("acceptedAt", acceptedAtMillis)
      .put("handOvers", handOvers);
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
