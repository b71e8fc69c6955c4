package io.warmpool.pool;

import com.google.gson.JsonObject;
import io.warmpool.child.Entrypoint;
import io.warmpool.child.JobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A user's job as {@link UserJobTest} packs it into a jar of its own: it logs through SLF4J, as
 * libraries do, and tells what its process runs from.
 */
public final class UserJob implements Entrypoint {

  private static final Logger LOG = LoggerFactory.getLogger(UserJob.class);

  private String greeting;

  @Override
  public void prewarm(JsonObject options) {
    greeting = options.get("greeting").getAsString();
    LOG.info("prewarmed");
  }

  @Override
  public Object run(JobContext context, JsonObject payload) throws Exception {
    LOG.warn("running for {}", payload.get("name").getAsString());
    JsonObject result = new JsonObject();
    result.addProperty("text", greeting + ", " + payload.get("name").getAsString());
    result.addProperty("classPath", System.getProperty("java.class.path"));
    // the class-data archive is a file the JVM maps: there when the child uses one
    result.addProperty("mappedArchive", Files.readAllLines(Path.of("/proc/self/maps")).stream()
      .filter(line -> line.endsWith(".jsa") || line.endsWith(".aot"))
      .map(line -> line.substring(line.lastIndexOf(' ') + 1))
      .findFirst().orElse(""));
    return result;
  }
}
