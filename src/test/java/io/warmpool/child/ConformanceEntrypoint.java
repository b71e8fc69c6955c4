package io.warmpool.child;

import io.vertx.core.json.JsonObject;

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
    String op = payload.getString("op");
    switch (op) {
      case "echo":
        return new JsonObject().put("value", payload.getValue("value"));
      case "outputs": {
        int count = payload.getInteger("count");
        for (int i = 0; i < count; i++) {
          context.output(new JsonObject().put("i", i));
        }
        return new JsonObject().put("count", count);
      }
      case "fail":
        throw new IllegalStateException(payload.getString("message"));
      case "sleep": {
        long ms = payload.getLong("ms");
        Thread.sleep(ms);
        return new JsonObject().put("slept", ms);
      }
      case "log":
        LOG.info(payload.getString("message"));
        return new JsonObject();
      case "wait-cancel": {
        CountDownLatch cancelled = new CountDownLatch(1);
        context.onCancel(cancelled::countDown);
        cancelled.await();
        Files.createFile(Path.of(payload.getString("marker")));
        return new JsonObject();
      }
      case "options":
        return options;
      case "env":
        return new JsonObject().put("value", System.getenv(payload.getString("name")));
      default:
        throw new IllegalArgumentException("unknown op " + op);
    }
  }
}
