package io.warmpool.web;

import io.vertx.core.json.JsonObject;

/** A client frame that cannot be served; becomes an {@code error} frame, and the connection stays open. */
final class FrameException extends RuntimeException {

  final ErrorCode code;
  final String ref;

  FrameException(ErrorCode code, String ref, String message) {
    super(message, null, false, false);
    this.code = code;
    this.ref = ref;
  }

  JsonObject toFrame() {
    return errorFrame(code, ref, getMessage());
  }

  static JsonObject errorFrame(ErrorCode code, String ref, String message) {
    JsonObject frame = new JsonObject().put("type", "error");
    if (ref != null) {
      frame.put("ref", ref);
    }
    return frame.put("code", code.wireName).put("message", message);
  }
}
