package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.warmpool.pool.PoolFixture.pairs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's own Java entrypoint, compiled outside the worker's class path, runs in warm children
 * through {@code child.classpath}: configuration only, nothing added to the worker's jar.
 */
@ExtendWith(VertxExtension.class)
class UserClassPathTest {

  private static final String SOURCE = """
    package com.example;

    import io.vertx.core.json.JsonObject;
    import io.warmpool.child.Entrypoint;
    import io.warmpool.child.JobContext;

    public final class Greeter implements Entrypoint {
      private String greeting;

      @Override
      public void prewarm(JsonObject options) {
        greeting = options.getString("greeting", "hello");
      }

      @Override
      public Object run(JobContext context, JsonObject payload) {
        return new JsonObject().put("text", greeting + ", " + payload.getString("name"));
      }
    }
    """;

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void anEntrypointOnTheChildClassPathRunsJobs(Vertx vertx, @TempDir Path dir) throws Exception {
    Path classes = compile(dir);
    assertThat(getClass().getClassLoader().getResource("com/example/Greeter.class"))
      .as("the user's class is not on the worker's class path").isNull();

    fixture = PoolFixture.start(vertx, new JsonObject()
      .put("child", pairs("entrypoint", "com.example.Greeter", "classpath", new JsonArray().add(classes.toString()),
        "options", pairs("greeting", "bonjour")))
      .put("pool", pairs("maxIdle", 1)));
    String jobId = fixture.run(pairs("name", "Ada"));

    JsonObject done = fixture.awaitTerminal(jobId);
    assertThat(done.getString("event")).as("terminal %s", done).isEqualTo("completed");
    assertThat(done.getJsonObject("result").getString("text")).isEqualTo("bonjour, Ada");
  }

  private static Path compile(Path dir) throws Exception {
    Path source = dir.resolve("src/com/example/Greeter.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, SOURCE);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, "--release", "17", "-cp", System.getProperty("java.class.path"),
      "-d", classes.toString(), source.toString());
    assertThat(status).as("javac's exit status").isZero();
    return classes;
  }
}
