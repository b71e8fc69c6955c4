package io.warmpool.child;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * The Java runtime's conformance child: the ops of {@code children/conformance/README.md},
 * written as a user would write them with the child API.
 */
public final class ConformanceEntrypoint implements Entrypoint {

  private static final Logger LOG = Logger.getLogger(ConformanceEntrypoint.class.getName());

  private JsonObject options;

  @Override
  public void prewarm(JsonObject options) {
    this.options = options;
  }

  @Override
  public Object run(JobContext context, JsonObject payload) throws Exception {
    String op = payload.get("op").getAsString();
    switch (op) {
      case "echo":
        return object("value", payload.get("value"));
      case "outputs": {
        int count = payload.get("count").getAsInt();
        for (int i = 0; i < count; i++) {
          JsonObject output = new JsonObject();
          output.addProperty("i", i);
          context.output(output);
        }
        JsonObject result = new JsonObject();
        result.addProperty("count", count);
        return result;
      }
      case "fail":
        throw new IllegalStateException(payload.get("message").getAsString());
      case "sleep": {
        long ms = payload.get("ms").getAsLong();
        Thread.sleep(ms);
        JsonObject result = new JsonObject();
        result.addProperty("slept", ms);
        return result;
      }
      case "log":
        LOG.info(payload.get("message").getAsString());
        return new JsonObject();
      case "wait-cancel": {
        CountDownLatch cancelled = new CountDownLatch(1);
        context.onCancel(cancelled::countDown);
        cancelled.await();
        Files.createFile(Path.of(payload.get("marker").getAsString()));
        return new JsonObject();
      }
      case "options":
        return options;
      case "env": {
        JsonObject result = new JsonObject();
        result.addProperty("value", System.getenv(payload.get("name").getAsString()));
        return result;
      }
      default:
        throw new IllegalArgumentException("unknown op " + op);
    }
  }

  private static JsonObject object(String name, JsonElement value) {
    JsonObject result = new JsonObject();
    result.add(name, value);
    return result;
  }
}
