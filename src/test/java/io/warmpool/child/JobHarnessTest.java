package io.warmpool.child;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A Java job tested without a worker, as a user's own unit test would. */
class JobHarnessTest {

  private static JobHarness harness() throws Exception {
    return JobHarness.prewarm(new ConformanceEntrypoint(), new JsonObject().put("model", "tiny"));
  }

  @Test
  void aJobsOutputsAndResultAreKeptInOrder() throws Exception {
    JobHarness.Run run = harness().run(new JsonObject().put("op", "outputs").put("count", 3));

    assertThat(run.outputs()).containsExactly(new JsonObject().put("i", 0), new JsonObject().put("i", 1),
      new JsonObject().put("i", 2));
    assertThat(run.result()).isEqualTo(new JsonObject().put("count", 3));
    assertThat(run.error()).isNull();
  }

  @Test
  void prewarmGetsItsOptions() throws Exception {
    assertThat(harness().run(new JsonObject().put("op", "options")).result())
      .isEqualTo(new JsonObject().put("model", "tiny"));
  }

  @Test
  void anExceptionIsTheJobsError() throws Exception {
    JobHarness.Run run = harness().run(new JsonObject().put("op", "fail").put("message", "boom"));

    assertThat(run.error()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThatThrownBy(run::result).isInstanceOf(IllegalStateException.class).hasMessageContaining("boom");
  }

  @Test
  void theJobsLogRecordsAreKept() throws Exception {
    JobHarness.Run run = harness().run(new JsonObject().put("op", "log").put("message", "hello from the job"));

    assertThat(run.logs()).extracting(java.util.logging.LogRecord::getMessage).containsExactly("hello from the job");
  }

  @Test
  void aCancelReachesTheJob(@TempDir Path dir) throws Exception {
    Path marker = dir.resolve("cancelled");
    JobHarness.Run run = harness().start(new JsonObject().put("op", "wait-cancel").put("marker", marker.toString()));

    run.cancel();

    run.await(Duration.ofSeconds(10));
    assertThat(run.error()).isNull();
    assertThat(Files.exists(marker)).isTrue();
  }

  @Test
  void aResultTheRuntimeCouldNotSendFailsAsItWouldInAChild() throws Exception {
    Entrypoint notJson = (context, payload) -> new Object();

    JobHarness.Run run = JobHarness.prewarm(notJson, null).run(new JsonObject());

    assertThat(run.error()).isInstanceOf(IllegalArgumentException.class);
  }
}
