package io.warmpool.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code child.classpath}: the user's code for the Java child, checked when the worker starts. */
class ChildClassPathTest {

  private static JsonObject child(JsonObject child) {
    return new JsonObject().put("child", child);
  }

  @Test
  void existingJarsAndDirectoriesAreAccepted(@TempDir Path dir) throws Exception {
    Path jar = Files.createFile(dir.resolve("job.jar"));
    Path classes = Files.createDirectory(dir.resolve("classes"));

    WorkerConfig config = ConfigLoader.fromJson(child(new JsonObject()
      .put("classpath", new JsonArray().add(jar.toString()).add(classes.toString()))), Map.of());

    assertThat(config.child().classpath()).containsExactly(jar.toString(), classes.toString());
  }

  @Test
  void aMissingEntryIsNamedAtStart(@TempDir Path dir) {
    String missing = dir.resolve("no-such.jar").toString();

    assertThatThrownBy(() -> ConfigLoader.fromJson(child(new JsonObject().put("classpath", new JsonArray().add(missing))), Map.of()))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("child.classpath")
      .hasMessageContaining(missing)
      .hasMessageContaining("existing jar files or class directories");
  }

  @Test
  void aClassPathBesideACommandIsRefused(@TempDir Path dir) throws Exception {
    Path jar = Files.createFile(dir.resolve("job.jar"));

    assertThatThrownBy(() -> ConfigLoader.fromJson(child(new JsonObject()
      .put("command", new JsonArray().add("python3").add("job.py"))
      .put("classpath", new JsonArray().add(jar.toString()))), Map.of()))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("empty when child.command is set");
  }

  @Test
  void theDefaultIsEmpty() throws Exception {
    assertThat(ConfigLoader.fromJson(null, Map.of()).child().classpath()).isEqualTo(List.of());
  }
}
