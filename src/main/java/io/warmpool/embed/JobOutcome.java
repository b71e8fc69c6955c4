package io.warmpool.embed;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * How a job ended: its one terminal event, read.
 *
 * @param jobId   the job's id
 * @param state   {@link State#COMPLETED}, {@link State#FAILED} or {@link State#CANCELLED}
 * @param result  what the job returned (any JSON value), when completed; else {@code null}
 * @param reason  why it failed ({@code error}, {@code crashed}, {@code timeout}, {@code memory-limit},
 *                {@code init-failed}, {@code shutdown}, {@code protocol-error}, {@code node-lost});
 *                else {@code null}
 * @param message what the worker said of the failure (the job's own error message for
 *                {@code error}); else {@code null}
 */
public record JobOutcome(String jobId, State state, Object result, String reason, String message) {

  public enum State {
    COMPLETED, FAILED, CANCELLED;

    /** The state a terminal event's {@code event} names, or {@code null} for an event that ends nothing. */
    static State of(String event) {
      return switch (event == null ? "" : event) {
        case "completed", "failed", "cancelled" -> valueOf(event.toUpperCase(Locale.ROOT));
        default -> null;
      };
    }
  }

  /** The outcome a terminal event tells. */
  static JobOutcome of(JsonObject terminal) {
    State state = State.of(terminal.getString("event"));
    if (state == null) {
      throw new IllegalArgumentException("not a terminal event: " + terminal.encode());
    }
    return new JobOutcome(terminal.getString("jobId"), state, terminal.getValue("result"),
      terminal.getString("reason"), terminal.getString("detail"));
  }
}
