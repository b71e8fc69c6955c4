package io.warmpool.child;

import com.google.gson.JsonObject;
import io.warmpool.demo.DemoEntrypoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ChildMain --train}, as a build runs it to record the classes of a class-data archive: a
 * real child process against the scripted worker, to its exit status and stderr.
 */
@Timeout(120)
class TrainingRunTest {

  @TempDir
  Path dir;

  private String stderr = "";

  /** Runs {@code ChildMain} with {@code args}; its exit status, its stderr in {@link #stderr}. */
  private int train(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), ChildMain.class.getName()));
    command.addAll(List.of(args));
    Path err = dir.resolve("stderr");
    Process process = new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(dir.resolve("stdout").toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the training run ended").isTrue();
    stderr = Files.readString(err);
    return process.exitValue();
  }

  @Test
  void theDemoWithAPayloadRunsItsJobAndExitsZero() throws Exception {
    assertThat(train("--train", DemoEntrypoint.class.getName(), "--payload", "{\"op\":\"echo\",\"outputs\":2}"))
      .as("stderr: %s", stderr).isEqualTo(ExitCode.OK);
  }

  @Test
  void withoutAPayloadNoJobRuns() throws Exception {
    assertThat(train("--train", HaltsInRun.class.getName())).as("stderr: %s", stderr).isEqualTo(ExitCode.OK);
  }

  @Test
  void aPayloadRunsTheEntrypointsJob() throws Exception {
    assertThat(train("--train", HaltsInRun.class.getName(), "--payload", "{}")).isEqualTo(HaltsInRun.STATUS);
  }

  @Test
  void aFailedJobIsAFinishedTraining() throws Exception {
    assertThat(train("--train", FailsInRun.class.getName(), "--payload", "{}")).as("stderr: %s", stderr).isEqualTo(ExitCode.OK);
  }

  @Test
  void theOptionsReachThePrewarmAndItsLogRecordsAreSkipped() throws Exception {
    assertThat(train("--train", ChecksOptions.class.getName(), "--options", "{\"model\":\"tiny\"}"))
      .as("stderr: %s", stderr).isEqualTo(ExitCode.OK);
    assertThat(train("--train", ChecksOptions.class.getName())).isEqualTo(ExitCode.INIT_FAILED);
  }

  @Test
  void anEntrypointThatCannotBeLoadedFailsWithALineSayingSo() throws Exception {
    assertThat(train("--train", "com.example.NoSuchJob")).isEqualTo(ExitCode.INIT_FAILED);
    assertThat(stderr).contains("initialisation failed: java.lang.ClassNotFoundException: com.example.NoSuchJob");
  }

  @Test
  void aPrewarmThatFailsFailsTheRunWithALineSayingSo() throws Exception {
    assertThat(train("--train", ChecksOptions.class.getName(), "--options", "{\"model\":\"large\"}"))
      .isEqualTo(ExitCode.INIT_FAILED);
    assertThat(stderr).contains("initialisation failed: java.lang.IllegalStateException: no model 'large'");
  }

  @Test
  void badArgumentsAreABadStartWithTheUsage() throws Exception {
    assertThat(train("--train")).isEqualTo(ExitCode.BAD_START);
    assertThat(stderr).contains("--train needs the entrypoint class to train; usage: ChildMain");
    assertThat(train("--train", DemoEntrypoint.class.getName(), "--payload", "[1]")).isEqualTo(ExitCode.BAD_START);
    assertThat(stderr).contains("--payload must be a JSON object, got: [1]");
    assertThat(train("--train", DemoEntrypoint.class.getName(), "--options")).isEqualTo(ExitCode.BAD_START);
    assertThat(stderr).contains("--options needs a value");
    assertThat(train("--train", DemoEntrypoint.class.getName(), "--job", "{}")).isEqualTo(ExitCode.BAD_START);
    assertThat(stderr).contains("unknown argument '--job'");
  }

  /** Ends the process with {@link #STATUS} when a job runs. */
  public static final class HaltsInRun implements Entrypoint {
    static final int STATUS = 9;

    @Override
    public Object run(JobContext context, JsonObject payload) {
      Runtime.getRuntime().halt(STATUS);
      return null;
    }
  }

  public static final class FailsInRun implements Entrypoint {
    @Override
    public Object run(JobContext context, JsonObject payload) {
      throw new IllegalStateException("a failed training job");
    }
  }

  /** Prewarms only with {@code {"model": "tiny"}}, and logs while it does. */
  public static final class ChecksOptions implements Entrypoint {
    @Override
    public void prewarm(JsonObject options) {
      Logger.getLogger(ChecksOptions.class.getName()).info("prewarm with " + options);
      String model = options.has("model") ? options.get("model").getAsString() : "none";
      if (!model.equals("tiny")) {
        throw new IllegalStateException("no model '" + model + "'");
      }
    }

    @Override
    public Object run(JobContext context, JsonObject payload) {
      return null;
    }
  }
}
