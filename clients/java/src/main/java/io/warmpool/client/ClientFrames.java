package io.warmpool.client;

import com.google.gson.JsonObject;

/** The frames a client sends (docs/websocket.md, "Client → worker"). */
final class ClientFrames {

  static JsonObject submit(String ref, JsonObject payload, SubmitOptions options) {
    JsonObject frame = op("submit", ref);
    if (options.getJobId() != null) {
      frame.addProperty("jobId", options.getJobId());
    }
    frame.add("payload", payload);
    if (options.getTimeoutMs() > 0) {
      frame.addProperty("timeoutMs", options.getTimeoutMs());
    }
    if (options.isLogs()) {
      frame.addProperty("logs", true);
    }
    return frame;
  }

  static JsonObject watch(String ref, String jobId, long fromSeq) {
    JsonObject frame = op("watch", ref);
    frame.addProperty("jobId", jobId);
    frame.addProperty("fromSeq", fromSeq);
    return frame;
  }

  static JsonObject cancel(String ref, String jobId) {
    JsonObject frame = op("cancel", ref);
    frame.addProperty("jobId", jobId);
    return frame;
  }

  static JsonObject subscribe(String ref) {
    return topic(op("subscribe", ref));
  }

  static JsonObject unsubscribe(String ref) {
    return topic(op("unsubscribe", ref));
  }

  private static JsonObject op(String op, String ref) {
    JsonObject frame = new JsonObject();
    frame.addProperty("op", op);
    frame.addProperty("ref", ref);
    return frame;
  }

  private static JsonObject topic(JsonObject frame) {
    frame.addProperty("topic", "pool");
    return frame;
  }

  private ClientFrames() {
  }
}
