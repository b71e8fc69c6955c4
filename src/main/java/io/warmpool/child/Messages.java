package io.warmpool.child;

import io.vertx.core.json.JsonObject;

/** The message names of docs/protocol.md and builders for what the child sends. */
final class Messages {

  // worker -> child
  static final String INITIALIZE = "initialize";
  static final String START = "start";
  static final String PING = "ping";
  static final String SHUTDOWN = "shutdown";

  // child -> worker
  static final String HELLO = "hello";
  static final String READY = "ready";
  static final String INIT_FAILED = "initFailed";
  static final String STARTED = "started";
  static final String OUTPUT = "output";
  static final String DONE = "done";
  static final String FAILED = "failed";
  static final String PONG = "pong";
  static final String EXITING = "exiting";

  static JsonObject hello(String token, long pid, String runtime) {
    return message(HELLO).put("token", token).put("pid", pid).put("runtime", runtime);
  }

  static JsonObject ready() {
    return message(READY);
  }

  static JsonObject initFailed(String error) {
    return message(INIT_FAILED).put("error", error);
  }

  // Job ids are echoed exactly as the worker sent them (string or number), never re-typed.
  static JsonObject started(Object jobId) {
    return message(STARTED).put("jobId", jobId);
  }

  static JsonObject output(Object jobId, Object data) {
    return message(OUTPUT).put("jobId", jobId).put("data", data);
  }

  static JsonObject done(Object jobId, Object result) {
    return message(DONE).put("jobId", jobId).put("result", result);
  }

  static JsonObject failed(Object jobId, String error) {
    return message(FAILED).put("jobId", jobId).put("error", error);
  }

  static JsonObject pong(Object seq) {
    return message(PONG).put("seq", seq);
  }

  static JsonObject exiting(String reason) {
    return message(EXITING).put("reason", reason);
  }

  private static JsonObject message(String type) {
    return new JsonObject().put("type", type);
  }

  private Messages() {
  }
}
