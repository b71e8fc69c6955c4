package io.warmpool.cli;

import com.google.gson.JsonObject;
import io.warmpool.client.JobEvent;
import io.warmpool.client.JobOutcome;

/** How the command-line client writes what it got on stdout: JSON lines ({@link JsonLines}) or {@link ReadableLines}. */
interface EventPrinter {

  void event(JobEvent event);

  void state(JsonObject state);

  /** A job's outcome, which {@code cancel} answers with. */
  void outcome(String jobId, JobOutcome outcome);

  /** The outcome as JSON: {@code {"jobId","state"}} and its {@code result}, {@code reason} and {@code message} when it has them. */
  static JsonObject toJson(String jobId, JobOutcome outcome) {
    JsonObject json = new JsonObject();
    json.addProperty("jobId", jobId);
    json.addProperty("state", outcome.state().name().toLowerCase(java.util.Locale.ROOT));
    if (outcome.result() != null) {
      json.add("result", outcome.result());
    }
    if (outcome.reason() != null) {
      json.addProperty("reason", outcome.reason());
    }
    if (outcome.message() != null) {
      json.addProperty("message", outcome.message());
    }
    return json;
  }
}
