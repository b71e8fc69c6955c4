package io.warmpool.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A job submission inside a node: read once where it entered the node (a WebSocket
 * {@code submit} frame, a JSON body on {@code <prefix>.jobs.submit}, a forward from another
 * node) and given its id there, the client's or a new one. From then on it is handed on as this
 * object ({@link SubmissionCodec}), so that the dispatcher and the pool neither read it again nor
 * give it another id: the id a WebSocket client is told is the one its job runs under.
 *
 * <p>To another node it travels as {@link #toJson()}, a {@link SubmitRequest} with its id set,
 * so that the receiving node reads it as any JSON submission and keeps that id.
 *
 * @param jobId     the job's id, never {@code null}
 * @param payload   what the job's entrypoint receives
 * @param timeoutMs the job's own timeout, or 0 for the worker's {@code job.timeoutMs}
 * @param logs      whether the job's log records are published as {@code log} events
 * @param readNanos when this node read it ({@link System#nanoTime()}): where a traced job's
 *                  first hop ends ({@link HopTrace#READ}); a forward is read anew by the node it goes to
 */
public record Submission(String jobId, JsonObject payload, long timeoutMs, boolean logs, long readNanos) {

  public Submission {
    Objects.requireNonNull(jobId, "a submission has its id");
    Objects.requireNonNull(payload, "payload");
  }

  /** A submission read now. */
  public Submission(String jobId, JsonObject payload, long timeoutMs, boolean logs) {
    this(jobId, payload, timeoutMs, logs, System.nanoTime());
  }

  /**
   * The submission a bus message carries: a typed one from a verticle of this node as it is, a
   * JSON one (a bus client, another node) read and given its id here.
   *
   * @throws IllegalArgumentException naming what is wrong, as {@link SubmitRequest#parse} does
   */
  public static Submission of(Object body) {
    if (body instanceof Submission submission) {
      return submission;
    }
    if (body != null && !(body instanceof JsonObject)) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    return SubmitRequest.parse((JsonObject) body).identified();
  }

  /**
   * The submission of a request on {@code <prefix>.jobs.submit}, or {@code null} after failing
   * the message with {@link BusFailure#BAD_REQUEST} and what is wrong with it.
   */
  public static Submission readOrFail(Message<?> message) {
    try {
      return of(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(BusFailure.BAD_REQUEST, e.getMessage());
      return null;
    }
  }

  /** The JSON form, with its id: what another node reads back into the same submission. */
  public JsonObject toJson() {
    return new SubmitRequest(jobId, payload, timeoutMs, logs).toJson();
  }
}
