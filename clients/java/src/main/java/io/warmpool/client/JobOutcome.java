package io.warmpool.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * How a job ended: the content of its terminal event.
 *
 * @param state   {@link State#COMPLETED}, {@link State#FAILED} or {@link State#CANCELLED}
 * @param result  what the job returned ({@code completed} only; else {@code null})
 * @param reason  why it failed ({@code failed} only): {@code error} (the job's own code threw),
 *                {@code crashed}, {@code timeout}, {@code memory-limit}, {@code init-failed},
 *                {@code shutdown}, {@code protocol-error}, {@code node-lost} (docs/event-bus.md)
 * @param message the failure's detail in the worker's words ({@code failed} only)
 */
public record JobOutcome(State state, JsonElement result, String reason, String message) {

  public enum State {
    COMPLETED, FAILED, CANCELLED;

    /** The state a terminal event names, {@code null} for an event that is not terminal. */
    static State of(String event) {
      if (event == null) {
        return null;
      }
      return switch (event) {
        case "completed" -> COMPLETED;
        case "failed" -> FAILED;
        case "cancelled" -> CANCELLED;
        default -> null;
      };
    }
  }

  /** The outcome a terminal event tells. */
  static JobOutcome of(JobEvent terminal) {
    JsonObject json = terminal.json();
    State state = State.of(terminal.type());
    if (state == null) {
      throw new IllegalArgumentException("not a terminal event: " + terminal.type());
    }
    return new JobOutcome(state, state == State.COMPLETED ? json.get("result") : null,
      Json.string(json, "reason"), Json.string(json, "detail"));
  }
}
