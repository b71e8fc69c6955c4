package io.warmpool.bus;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * A job submission: {@code {"jobId":ID?,"payload":{…},"timeoutMs":N?,"logs":B?}} (the WebSocket
 * {@code submit} frame less {@code op} and {@code ref}), as a client writes it. Where it enters a
 * node it is read once and given its id ({@link #identified()}); inside the node it is a
 * {@link Submission}.
 *
 * @param jobId     the client's id ({@link JobId}), or {@code null} to have one generated
 * @param payload   what the job's entrypoint receives
 * @param timeoutMs the job's own timeout, or 0 for the worker's {@code job.timeoutMs}
 * @param logs      whether the job's log records are published as {@code log} events
 */
public record SubmitRequest(String jobId, JsonObject payload, long timeoutMs, boolean logs) {

  /**
   * Reads a submission.
   *
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public static SubmitRequest parse(JsonObject body) {
    if (body == null) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    Object id = body.getValue("jobId");
    String jobId = id == null ? null : JobId.of(id);
    Object payload = body.getValue("payload");
    if (!(payload instanceof JsonObject)) {
      throw new IllegalArgumentException("payload must be a JSON object");
    }
    Object timeout = body.getValue("timeoutMs");
    long timeoutMs = 0;
    if (timeout != null) {
      if (!(timeout instanceof Number) || ((Number) timeout).doubleValue() != ((Number) timeout).longValue()
        || ((Number) timeout).longValue() < 0) {
        throw new IllegalArgumentException("timeoutMs must be a whole number of milliseconds >= 0");
      }
      timeoutMs = ((Number) timeout).longValue();
    }
    Object logs = body.getValue("logs");
    if (logs != null && !(logs instanceof Boolean)) {
      throw new IllegalArgumentException("logs must be true or false");
    }
    return new SubmitRequest(jobId, (JsonObject) payload, timeoutMs, Boolean.TRUE.equals(logs));
  }

  /** The submission with its id: the client's, or a new one, given here and nowhere else. */
  public Submission identified() {
    return identified(System.nanoTime());
  }

  /** The same, read at {@code readNanos} ({@link System#nanoTime()}): where the frame that carried it arrived. */
  public Submission identified(long readNanos) {
    return new Submission(jobId != null ? jobId : UUID.randomUUID().toString(), payload, timeoutMs, logs, readNanos);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("payload", payload);
    if (jobId != null) {
      json.put("jobId", jobId);
    }
    if (timeoutMs > 0) {
      json.put("timeoutMs", timeoutMs);
    }
    if (logs) {
      json.put("logs", true);
    }
    return json;
  }
}
