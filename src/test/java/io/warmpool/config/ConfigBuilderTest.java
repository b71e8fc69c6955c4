package io.warmpool.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A configuration made in code: the same keys, checks and messages as the file's, in layers. */
class ConfigBuilderTest {

  @Test
  void nothingSetGivesTheDefaults() throws Exception {
    assertThat(WorkerConfig.builder().build()).isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void valuesSetInCodeGoOverTheFileAndTheEnvironmentOverBoth(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("w.json"),
      "{\"pool\":{\"maxIdle\":1,\"maxProcesses\":5},\"load\":{\"source\":\"jobs\"},\"bus\":{\"prefix\":\"from-file\"}}");

    WorkerConfig config = WorkerConfig.builder()
      .file(file)
      .set("pool.maxIdle", 3)
      .json(new JsonObject().put("load", new JsonObject().put("threshold", 0.5)))
      .set("child.classpath", List.of(dir.toString()))
      .set("bus.prefix", "from-code")
      .environment(Map.of("WARMPOOL_BUS_PREFIX", "from-env", "HOME", "/elsewhere"))
      .build();

    assertThat(config.pool().maxIdle()).as("code over the file").isEqualTo(3);
    assertThat(config.pool().maxProcesses()).as("the file's, where code says nothing").isEqualTo(5);
    assertThat(config.load().source()).isEqualTo("jobs");
    assertThat(config.load().threshold()).as("a section given in part keeps the rest").isEqualTo(0.5);
    assertThat(config.child().classpath()).containsExactly(dir.toString());
    assertThat(config.bus().prefix()).as("the environment over everything").isEqualTo("from-env");
  }

  @Test
  void aWrongValueSetInCodeIsNamedWithWhereItCameFrom() {
    assertThatThrownBy(() -> WorkerConfig.builder().set("pool.maxIdle", -1).build())
      .isInstanceOf(ConfigException.class)
      .hasMessage("pool.maxIdle = -1 (set in code): must be an integer from 0 to pool.maxProcesses (16), or \"auto\"");
  }

  @Test
  void anUnknownKeySetInCodeGetsTheNearestOne() {
    assertThatThrownBy(() -> WorkerConfig.builder().set("pool.maxIdel", 2).build())
      .isInstanceOf(ConfigException.class)
      .hasMessage("set in code: unknown key pool.maxIdel (did you mean pool.maxIdle?)");
  }

  @Test
  void theBusPrefixIsDottedWordsOnly() throws Exception {
    assertThat(WorkerConfig.builder().set("bus.prefix", "app.batch-jobs_2").build().bus().prefix()).isEqualTo("app.batch-jobs_2");
    for (String wrong : List.of("", "a b", "a..b", ".a", "a.", "a/b", "jobs.*")) {
      assertThatThrownBy(() -> WorkerConfig.builder().set("bus.prefix", wrong).build())
        .as("prefix %s", wrong)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("bus.prefix = \"" + wrong.replace("\"", "\\\"") + "\" (set in code): must be one or more parts of letters,"
          + " digits, '-' and '_', separated by single dots");
    }
  }

  @Test
  void theBusPrefixComesFromTheEnvironmentLikeAnyKey() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("WARMPOOL_BUS_PREFIX", "two words")))
      .isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("bus.prefix = \"two words\" (from WARMPOOL_BUS_PREFIX): must be");
    assertThat(ConfigLoader.load(null, Map.of("WARMPOOL_BUS_PREFIX", "batch")).bus().prefix()).isEqualTo("batch");
  }
}
