package io.warmpool.child;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.warmpool.protocol.ProtocolCodec;

/** Jobs that exercise the runtime's paths the demo entrypoint does not reach. */
public final class ScriptedEntrypoint implements Entrypoint {

  /** What the previous job of the process left on its thread, if it ran on the same one. */
  private static final ThreadLocal<String> LEFT_BY_LAST_JOB = new ThreadLocal<>();

  @Override
  public Object run(JobContext context, JsonObject payload) throws Exception {
    String op = payload.get("op").getAsString();
    switch (op) {
      case "output":
        // Emits "count" outputs, then returns how many it sent.
        int count = payload.get("count").getAsInt();
        for (int i = 0; i < count; i++) {
          JsonObject output = new JsonObject();
          output.addProperty("i", i);
          output.addProperty("jobId", context.jobId());
          context.output(output);
        }
        JsonArray sent = new JsonArray();
        sent.add(count);
        return sent;
      case "thread": {
        // Which thread runs the job, in what state, and what the job before it left there.
        Thread thread = Thread.currentThread();
        JsonObject seen = new JsonObject();
        seen.addProperty("id", thread.getId());
        seen.addProperty("name", thread.getName());
        seen.addProperty("interrupted", thread.isInterrupted());
        seen.addProperty("leftByLastJob", LEFT_BY_LAST_JOB.get());
        LEFT_BY_LAST_JOB.set(context.jobId());
        return seen;
      }
      case "interruptItself":
        // ends with its thread's interrupt flag set, as a job that swallowed an interrupt may
        Thread.currentThread().interrupt();
        return "interrupted";
      case "throw":
        throw new IllegalStateException("boom");
      case "notJson":
        return new Object();
      case "outputTooLarge":
        // The runtime must refuse the frame and tell the job, not send it.
        try {
          context.output("x".repeat(ProtocolCodec.MAX_FRAME_BYTES));
          return "sent";
        } catch (IllegalArgumentException e) {
          return "refused";
        }
      default:
        throw new IllegalArgumentException("unknown op " + op);
    }
  }

  /** Its prewarm hook takes a minute, as loading a large model would. */
  public static final class SlowPrewarm implements Entrypoint {

    @Override
    public void prewarm() throws InterruptedException {
      Thread.sleep(60_000);
    }

    @Override
    public Object run(JobContext context, JsonObject payload) {
      return null;
    }
  }

  /** Its prewarm hook fails, as a model that cannot be loaded would. */
  public static final class FailingPrewarm implements Entrypoint {

    @Override
    public void prewarm() {
      throw new IllegalStateException("model file missing");
    }

    @Override
    public Object run(JobContext context, JsonObject payload) {
      return null;
    }
  }
}
