package io.warmpool.bus;

import io.vertx.core.json.JsonObject;

/**
 * The job events published on {@code <prefix>.jobs.events}. Each is exactly the WebSocket
 * {@code job} frame, so the web verticle forwards them untouched.
 */
public final class JobEvents {

  public static final String STARTED = "started";
  public static final String OUTPUT = "output";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";
  public static final String LOG = "log";

  public static JsonObject started(String jobId, long pid) {
    return event(jobId, STARTED).put("pid", pid);
  }

  public static JsonObject output(String jobId, Object data) {
    return event(jobId, OUTPUT).put("data", data);
  }

  /** A log record the job made, for the clients that asked for logs when they submitted it. */
  public static JsonObject log(String jobId, String level, String message, JsonObject fields) {
    return event(jobId, LOG).put("level", level).put("message", message).put("fields", fields);
  }

  public static JsonObject completed(String jobId, Object result) {
    return event(jobId, COMPLETED).put("result", result);
  }

  public static JsonObject failed(String jobId, FailureReason reason, String detail) {
    return event(jobId, FAILED).put("reason", reason.wireName()).put("detail", detail);
  }

  public static JsonObject cancelled(String jobId) {
    return event(jobId, CANCELLED);
  }

  /** True for the events that end a job; every accepted job gets exactly one of them. */
  public static boolean isTerminal(JsonObject event) {
    String name = event.getString("event");
    return COMPLETED.equals(name) || FAILED.equals(name) || CANCELLED.equals(name);
  }

  private static JsonObject event(String jobId, String name) {
    return new JsonObject().put("type", "job").put("jobId", jobId).put("event", name);
  }

  private JobEvents() {
  }
}
