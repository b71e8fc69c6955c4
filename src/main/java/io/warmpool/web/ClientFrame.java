package io.warmpool.web;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.JobId;

/**
 * A frame a WebSocket client sent, read far enough to dispatch it: its op and its ref. The op's
 * own fields are checked by the op's handler.
 */
record ClientFrame(String op, String ref, JsonObject body) {

  static final int MAX_REF_LENGTH = 256;

  /**
   * Reads a text frame.
   *
   * @throws FrameException with the error code and a message naming what is wrong
   */
  static ClientFrame parse(String text) {
    JsonObject body;
    try {
      body = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new FrameException(ErrorCode.BAD_JSON, null, "the frame is not a JSON object");
    }
    Object ref = body.getValue("ref");
    String refText = ref instanceof String ? (String) ref : null;
    if (ref != null && (refText == null || refText.length() > MAX_REF_LENGTH)) {
      throw new FrameException(ErrorCode.BAD_REQUEST, null, "ref must be a string of at most " + MAX_REF_LENGTH + " characters");
    }
    Object op = body.getValue("op");
    if (!(op instanceof String)) {
      throw new FrameException(ErrorCode.BAD_REQUEST, refText, "op is missing or not a string");
    }
    return new ClientFrame((String) op, refText, body);
  }

  /** The {@code jobId} field, which cancel and watch need: one that could be a job's ({@link JobId}). */
  String requiredJobId() {
    Object id = body.getValue("jobId");
    if (!JobId.isValid(id)) {
      throw new FrameException(ErrorCode.BAD_REQUEST, ref, JobId.RULE);
    }
    return (String) id;
  }

  /** The {@code fromSeq} field of watch: the {@code seq} of the last event the client saw; 0 when absent. */
  long fromSeq() {
    Object seq = body.getValue("fromSeq");
    if (seq == null) {
      return 0;
    }
    if (!(seq instanceof Integer || seq instanceof Long) || ((Number) seq).longValue() < 0) {
      throw new FrameException(ErrorCode.BAD_REQUEST, ref, "fromSeq must be an integer >= 0 (the seq of the last event seen)");
    }
    return ((Number) seq).longValue();
  }

  /** The {@code topic} field of subscribe and unsubscribe; only {@code pool} exists. */
  String requiredTopic() {
    Object topic = body.getValue("topic");
    if (!"pool".equals(topic)) {
      throw new FrameException(ErrorCode.BAD_REQUEST, ref, "topic must be \"pool\"");
    }
    return "pool";
  }
}
