package io.warmpool.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code child.command}: a program that is not there, or cannot be run, is named when the worker
 * starts, instead of every spawn exiting 127 for ever.
 */
class ChildCommandTest {

  private static WorkerConfig withCommand(JsonObject child) throws ConfigException {
    return ConfigLoader.fromJson(new JsonObject().put("child", child), Map.of());
  }

  private static JsonObject command(String... words) {
    return new JsonObject().put("command", new JsonArray(List.of((Object[]) words)));
  }

  private static Path script(Path dir, String name, String permissions) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  @Test
  void aProgramOnThePathOrAtAnExecutablePathIsAccepted(@TempDir Path dir) throws Exception {
    assertThat(withCommand(command("sh", "-c", "true")).child().command()).containsExactly("sh", "-c", "true");

    Path spaced = script(dir, "my app/bin/run", "rwxr-xr-x");
    assertThat(withCommand(command(spaced.toString(), "")).child().command()).containsExactly(spaced.toString(), "");
  }

  @Test
  void aProgramNotOnThePathIsNamedWithThePath() {
    String path = System.getenv("PATH");

    assertThatThrownBy(() -> withCommand(command("no-such-program-of-warmpool", "job.py")))
      .isInstanceOf(ConfigException.class)
      .hasMessage("child.command = [\"no-such-program-of-warmpool\",\"job.py\"]: program \"no-such-program-of-warmpool\" "
        + "not found on PATH (" + path + ")");
    assertThatThrownBy(() -> ConfigLoader.fromJson(null, Map.of("WARMPOOL_CHILD_COMMAND", "[\"pyhton3\",\"job.py\"]")))
      .hasMessage("child.command = [\"pyhton3\",\"job.py\"] (from WARMPOOL_CHILD_COMMAND): program \"pyhton3\" "
        + "not found on PATH (" + path + ")");
  }

  @Test
  void aPathThatIsMissingOrNotExecutableIsNamed(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope/run.sh");
    assertThatThrownBy(() -> withCommand(command(missing.toString())))
      .hasMessage("child.command = [\"" + missing + "\"]: program \"" + missing + "\" not found");

    Path plain = script(dir, "plain.sh", "rw-r--r--");
    assertThatThrownBy(() -> withCommand(command(plain.toString())))
      .hasMessage("child.command = [\"" + plain + "\"]: program \"" + plain + "\" is not an executable file");

    assertThatThrownBy(() -> withCommand(command(dir.toString())))
      .hasMessageEndingWith("program \"" + dir + "\" is not an executable file");
  }

  @Test
  void theChildsOwnPathFromChildEnvIsTheOneSearched(@TempDir Path dir) throws Exception {
    script(dir, "bin/my-runtime", "rwxr-xr-x");
    String childPath = dir.resolve("bin").toString();

    WorkerConfig config = withCommand(command("my-runtime", "job").put("env", new JsonObject().put("PATH", childPath)));
    assertThat(config.child().command()).containsExactly("my-runtime", "job");

    // and a program only on the worker's PATH is not found on the child's
    assertThatThrownBy(() -> withCommand(command("sh").put("env", new JsonObject().put("PATH", childPath))))
      .hasMessageEndingWith("program \"sh\" not found on PATH (" + childPath + ")");
  }
}
