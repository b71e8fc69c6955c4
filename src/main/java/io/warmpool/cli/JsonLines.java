package io.warmpool.cli;

import com.google.gson.JsonObject;
import io.warmpool.client.JobEvent;
import io.warmpool.client.JobOutcome;

import java.io.PrintStream;

/** One JSON object per line, each as the worker sent it: for a pipe, {@code jq}, a script. */
final class JsonLines implements EventPrinter {

  private final PrintStream out;

  JsonLines(PrintStream out) {
    this.out = out;
  }

  @Override
  public void event(JobEvent event) {
    out.println(event.json());
  }

  @Override
  public void state(JsonObject state) {
    out.println(state);
  }

  @Override
  public void outcome(String jobId, JobOutcome outcome) {
    out.println(EventPrinter.toJson(jobId, outcome));
  }
}
