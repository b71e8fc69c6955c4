package io.warmpool.child;

import com.google.gson.JsonObject;

/**
 * A user's job that does what the demo's echo does, prewarm included: started from a jar of its
 * own through {@code child.classpath}, it shows what that route costs beside the demo, which
 * the runtime carries (same work, other class path).
 */
public final class EchoJob implements Entrypoint {

  @Override
  public void prewarm() {
    JsonObject warm = new JsonObject();
    warm.addProperty("value", 1);
    run(null, warm);
  }

  @Override
  public Object run(JobContext context, JsonObject payload) {
    JsonObject result = new JsonObject();
    result.add("value", payload.get("value"));
    return result;
  }
}
