package io.warmpool.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.warmpool.client.JobEvent;
import io.warmpool.client.JobOutcome;

import java.io.PrintStream;
import java.util.Locale;

/** One short line per event or state, for a person at a terminal: {@code #2 output {"i":0}}. */
final class ReadableLines implements EventPrinter {

  private final PrintStream out;

  ReadableLines(PrintStream out) {
    this.out = out;
  }

  @Override
  public void event(JobEvent event) {
    JsonObject json = event.json();
    String detail = switch (event.type()) {
      case "started" -> "pid " + text(json.get("pid"));
      case "output" -> text(json.get("data"));
      case "log" -> text(json.get("level")) + " " + text(json.get("message"))
        + (json.has("fields") && json.getAsJsonObject("fields").size() > 0 ? " " + json.get("fields") : "");
      case "completed" -> text(json.get("result"));
      case "failed" -> text(json.get("reason")) + ": " + text(json.get("detail"));
      default -> "";
    };
    out.println(("#" + event.seq() + " " + event.type() + " " + detail).stripTrailing());
  }

  @Override
  public void state(JsonObject state) {
    JsonObject pool = state.has("pool") ? state.getAsJsonObject("pool") : new JsonObject();
    out.println(text(state.get("status")) + (state.has("degraded") && state.get("degraded").getAsBoolean() ? " (degraded)" : "")
      + String.format(Locale.ROOT, "  load %.2f of %.2f", number(state.get("load")), number(state.get("threshold")))
      + "  jobs " + text(state.get("activeJobs")) + " active, " + text(state.get("waitingJobs")) + " waiting"
      + "  processes " + text(pool.get("idle")) + " idle, " + text(pool.get("initializing")) + " starting, "
      + text(pool.get("running")) + " running (idle target " + text(pool.get("targetIdle")) + ")");
  }

  @Override
  public void outcome(String jobId, JobOutcome outcome) {
    String state = outcome.state().name().toLowerCase(Locale.ROOT);
    String detail = switch (outcome.state()) {
      case COMPLETED -> " " + text(outcome.result());
      case FAILED -> " " + outcome.reason() + ": " + outcome.message();
      case CANCELLED -> "";
    };
    out.println("job " + jobId + " " + state + detail);
  }

  /** A string as it is, anything else as JSON; nothing for what is absent. */
  private static String text(JsonElement value) {
    if (value == null || value.isJsonNull()) {
      return "";
    }
    return value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() ? value.getAsString() : value.toString();
  }

  private static double number(JsonElement value) {
    return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber() ? value.getAsDouble() : 0;
  }
}
