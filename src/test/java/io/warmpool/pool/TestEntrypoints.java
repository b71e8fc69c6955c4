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

  private TestEntrypoints() {
  }
}
