package io.warmpool.bus;

import io.vertx.core.json.JsonObject;

/** Replies to {@code <prefix>.jobs.submit}: the WebSocket {@code accepted} and {@code rejected} frames less their {@code ref}. */
public final class SubmitReplies {

  public static JsonObject accepted(String jobId) {
    return new JsonObject().put("type", "accepted").put("jobId", jobId);
  }

  public static JsonObject rejected(RejectReason reason, double load, double threshold, String message) {
    return new JsonObject()
      .put("type", "rejected")
      .put("reason", reason.wireName())
      .put("load", load)
      .put("threshold", threshold)
      .put("message", message);
  }

  public static boolean isAccepted(JsonObject reply) {
    return "accepted".equals(reply.getString("type"));
  }

  private SubmitReplies() {
  }
}
