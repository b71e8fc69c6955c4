package io.warmpool.child;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.util.List;

/**
 * The frames the child sends (docs/protocol.md, "child → worker"), newline included, each
 * refused with an {@link IllegalArgumentException} before anything is sent when it would exceed
 * {@link Wire#MAX_FRAME_BYTES} or holds what is not JSON. A job id is the {@link JsonPrimitive}
 * of its {@code start}, so it goes back with the JSON type and the text it came with.
 */
final class ChildFrames {

  /** The levels a {@code log} record may have, from the least to the most severe. */
  static final List<String> LEVELS = List.of("debug", "info", "warn", "error");

  static byte[] hello(String token, long pid, String runtime) {
    JsonObject message = Wire.message("hello");
    message.addProperty("token", token);
    message.addProperty("pid", pid);
    message.addProperty("runtime", runtime);
    return Wire.frame(message);
  }

  static byte[] ready() {
    return Wire.frame(Wire.message("ready"));
  }

  static byte[] initFailed(String error) {
    JsonObject message = Wire.message("initFailed");
    message.addProperty("error", error);
    return Wire.frame(message);
  }

  static byte[] started(JsonPrimitive jobId) {
    return Wire.frame(jobMessage("started", jobId));
  }

  /** @throws IllegalArgumentException when {@code data} is not a JSON value or the frame too large */
  static byte[] output(JsonPrimitive jobId, Object data) {
    JsonObject message = jobMessage("output", jobId);
    message.add("data", Wire.valueOf(data));
    return Wire.frame(message);
  }

  /**
   * The {@code done} frame of a job's result.
   *
   * @throws IllegalArgumentException "the job's result cannot be sent: …" when {@code result} is
   *                                  not a JSON value or the frame too large: the job's failure
   */
  static byte[] done(JsonPrimitive jobId, Object result) {
    try {
      JsonObject message = jobMessage("done", jobId);
      message.add("result", Wire.valueOf(result));
      return Wire.frame(message);
    } catch (IllegalArgumentException e) {
      // no cause: the job's error text would say the same twice
      throw new IllegalArgumentException("the job's result cannot be sent: " + e.getMessage());
    }
  }

  static byte[] failed(JsonPrimitive jobId, String error) {
    JsonObject message = jobMessage("failed", jobId);
    message.addProperty("error", error);
    return Wire.frame(message);
  }

  static byte[] pong(long seq) {
    JsonObject message = Wire.message("pong");
    message.addProperty("seq", seq);
    return Wire.frame(message);
  }

  static byte[] exiting(String reason) {
    JsonObject message = Wire.message("exiting");
    message.addProperty("reason", reason);
    return Wire.frame(message);
  }

  /**
   * A log record; {@code jobId} is the job that made it, {@code null} when no job did.
   *
   * @throws IllegalArgumentException when {@code level} is not one of {@link #LEVELS} or the
   *                                  frame too large
   */
  static byte[] log(String level, String message, JsonObject fields, JsonPrimitive jobId) {
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException("level must be one of " + LEVELS + ", got '" + level + "'");
    }
    JsonObject log = Wire.message("log");
    log.addProperty("level", level);
    log.addProperty("message", message);
    log.add("fields", fields);
    if (jobId != null) {
      log.add("jobId", jobId);
    }
    return Wire.frame(log);
  }

  private static JsonObject jobMessage(String type, JsonPrimitive jobId) {
    JsonObject message = Wire.message(type);
    message.add("jobId", jobId);
    return message;
  }

  private ChildFrames() {
  }
}
