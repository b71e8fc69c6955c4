package io.warmpool.pool;

import com.google.gson.JsonObject;
import io.warmpool.child.Entrypoint;
import io.warmpool.child.JobContext;

/** Entrypoints that misbehave on purpose, for the pool's failure tests. Loaded by the real child runtime. */
public final class TestEntrypoints {

  /** The process dies while warming up. */
  public static final class CrashInPrewarm implements Entrypoint {
    @Override
    public void prewarm() {
      Runtime.getRuntime().halt(3);
    }

    @Override
    public Object run(JobContext context, JsonObject payload) {
      return null;
    }
  }

  /** Warming up never ends. */
  public static final class EndlessPrewarm implements Entrypoint {
    @Override
    public void prewarm() throws InterruptedException {
      Thread.sleep(Long.MAX_VALUE);
    }

    @Override
    public Object run(JobContext context, JsonObject payload) {
      return null;
    }
  }

  /** Returns the environment variable {@code name} of its process, {@code null} when unset. */
  public static final class Env implements Entrypoint {
    @Override
    public Object run(JobContext context, JsonObject payload) {
      JsonObject result = new JsonObject();
      result.addProperty("value", System.getenv(payload.get("name").getAsString()));
      return result;
    }
  }

  /** Sends {@code ticks} outputs {@code {"tick":i}}, {@code everyMs} apart, then completes with {@code {"ticks":n}}. */
  public static final class Ticker implements Entrypoint {
    @Override
    public Object run(JobContext context, JsonObject payload) throws InterruptedException {
      int ticks = payload.get("ticks").getAsInt();
      for (int i = 0; i < ticks; i++) {
        Thread.sleep(payload.get("everyMs").getAsLong());
        JsonObject tick = new JsonObject();
        tick.addProperty("tick", i);
        context.output(tick);
      }
      JsonObject result = new JsonObject();
      result.addProperty("ticks", ticks);
      return result;
    }
  }

  private TestEntrypoints() {
  }
}
