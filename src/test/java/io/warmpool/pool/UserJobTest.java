package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

import static io.warmpool.Await.waitFor;
import static io.warmpool.pool.PoolFixture.pairs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's job in a jar of its own, named by {@code child.classpath}: its children run from the
 * child runtime and that jar only, and once the worker has made the class-data archive of that
 * class path, the children it starts map it.
 */
@ExtendWith(VertxExtension.class)
class UserJobTest {

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private JsonObject runJob(String name, boolean logs) throws Exception {
    JsonObject reply = fixture.submitRequest(new JsonObject().put("payload", pairs("name", name)).put("logs", logs));
    assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("accepted");
    String jobId = reply.getString("jobId");
    JsonObject terminal = fixture.awaitTerminal(jobId);
    assertThat(terminal.getString("event")).as("terminal %s", terminal).isEqualTo("completed");
    return terminal.put("log", fixture.events(jobId).stream().filter(e -> "log".equals(e.getString("event"))).toList().toString());
  }

  @Test
  void aUsersJarRunsWarmAndItsChildrenMapTheArchiveMadeForIt(Vertx vertx, @TempDir Path user, @TempDir Path cache) throws Exception {
    Path jar = jarOf(user.resolve("user-job.jar"), UserJob.class);
    fixture = PoolFixture.start(vertx, new JsonObject()
      .put("pool", pairs("maxIdle", 1, "maxJobsPerProcess", 1))
      .put("child", pairs("entrypoint", UserJob.class.getName(), "options", pairs("greeting", "hello"),
        "classpath", new JsonArray().add(jar.toString()), "cacheDir", cache.toString())));

    JsonObject first = runJob("ada", true).getJsonObject("result");
    assertThat(first.getString("text")).isEqualTo("hello, ada");
    String classPath = first.getString("classPath");
    assertThat(classPath.split(File.pathSeparator)).hasSize(5).endsWith(jar.toString())
      .allSatisfy(entry -> assertThat(entry).satisfiesAnyOf(e -> assertThat(e).startsWith(cache.toString()), e -> assertThat(e).isEqualTo(jar.toString())));

    // the first start makes the archive in the background; children started after it use it
    waitFor("the class-data archive of the user's class path", () -> {
      try (var files = Files.list(cache.resolve("archives"))) {
        return files.anyMatch(f -> f.toString().endsWith(".stamp"));
      } catch (IOException e) {
        return false;
      }
    });
    waitFor("a job whose child maps the archive", () ->
      runJob("grace", false).getJsonObject("result").getString("mappedArchive").startsWith(cache.resolve("archives").toString()));
  }

  @Test
  void libraryLogsThroughSlf4jReachTheJobsStream(Vertx vertx, @TempDir Path user) throws Exception {
    Path jar = jarOf(user.resolve("user-job.jar"), UserJob.class);
    fixture = PoolFixture.start(vertx, new JsonObject()
      .put("pool", pairs("maxIdle", 1))
      .put("child", pairs("entrypoint", UserJob.class.getName(), "options", pairs("greeting", "hi"),
        "classpath", new JsonArray().add(jar.toString()), "classArchive", false)));

    JsonObject terminal = runJob("linus", true);

    assertThat(terminal.getString("log")).contains("\"level\":\"warn\"").contains("running for linus");
  }

  /** A jar of {@code type}'s class file alone, as a user's build would make it. */
  private static Path jarOf(Path jar, Class<?> type) throws IOException {
    String entry = type.getName().replace('.', '/') + ".class";
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
         InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new ZipEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }
}
