package io.warmpool.child;

import io.vertx.core.json.JsonObject;
import io.warmpool.protocol.ChildMessage.Done;
import io.warmpool.protocol.ChildMessage.Exiting;
import io.warmpool.protocol.ChildMessage.Log;
import io.warmpool.protocol.ChildMessage.Ready;
import io.warmpool.protocol.ChildMessage.Started;
import io.warmpool.protocol.WorkerMessage.Cancel;
import io.warmpool.protocol.WorkerMessage.Shutdown;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user's Java job is given besides its payload, on the real child process: the prewarm
 * options, the cancel notice, log records through {@code java.util.logging}, the close hook.
 */
@Timeout(120)
class JobLifecycleHooksTest {

  private static final String CONFORMANCE = ConformanceEntrypoint.class.getName();

  @TempDir
  Path logs;

  private FakeWorker worker;

  @BeforeEach
  void startWorker() throws Exception {
    worker = new FakeWorker(logs);
  }

  @AfterEach
  void killEverything() throws Exception {
    worker.close();
  }

  private void readyChild(String entrypoint, JsonObject options) throws Exception {
    worker.startJavaChild();
    worker.handshakeReady(entrypoint, options);
  }

  @Test
  void prewarmGetsTheConfiguredOptions() throws Exception {
    JsonObject options = new JsonObject().put("model", "tiny").put("size", 3);
    readyChild(CONFORMANCE, options);

    worker.startJob("j", new JsonObject().put("op", "options"));

    worker.expect(Started.class);
    assertThat(worker.expect(Done.class).result()).isEqualTo(options);
  }

  @Test
  void aCancelReachesTheRunningJobWhichEndsWithinItsGrace(@TempDir Path dir) throws Exception {
    readyChild(CONFORMANCE, new JsonObject());
    Path marker = dir.resolve("cancelled");
    worker.startJob("j", new JsonObject().put("op", "wait-cancel").put("marker", marker.toString()));
    worker.expect(Started.class);
    assertThat(worker.nothingWithin(java.time.Duration.ofMillis(300))).as("the job waits for its cancel").isTrue();

    worker.send(new Cancel("j", 3000));

    assertThat(worker.expect(Done.class).jobId()).isEqualTo("j");
    assertThat(Files.exists(marker)).as("the job saw its cancel").isTrue();
  }

  @Test
  void aCancelForAnotherJobChangesNothing() throws Exception {
    readyChild(CONFORMANCE, new JsonObject());
    worker.startJob("j", new JsonObject().put("op", "sleep").put("ms", 500));
    worker.expect(Started.class);

    worker.send(new Cancel("some-other-job", 3000));

    assertThat(worker.expect(Done.class).result()).isEqualTo(new JsonObject().put("slept", 500));
  }

  @Test
  void javaUtilLoggingRecordsOfAJobReachTheWorkerWithItsId() throws Exception {
    readyChild(CONFORMANCE, new JsonObject());

    worker.startJob("j-7", new JsonObject().put("op", "log").put("message", "hello from the job"));

    worker.expect(Started.class);
    Log log = worker.expect(Log.class);
    assertThat(log.level()).isEqualTo("info");
    assertThat(log.message()).isEqualTo("hello from the job");
    assertThat(log.jobId()).isEqualTo("j-7");
    assertThat(log.fields().getString("logger")).isEqualTo(ConformanceEntrypoint.class.getName());
    worker.expect(Done.class);
    assertThat(worker.stderr()).as("a record goes to the worker once, not to stderr too").doesNotContain("hello from the job");
  }

  @Test
  void anOrderlyShutdownClosesTheEntrypoint() throws Exception {
    readyChild(ClosingEntrypoint.class.getName(), new JsonObject());

    worker.send(new Shutdown("test"));

    Log closing = worker.expect(Log.class);
    assertThat(closing.message()).isEqualTo("closing");
    assertThat(closing.jobId()).as("not in a job").isNull();
    worker.expect(Exiting.class);
  }

  /** Logs from its close hook, so the test sees the hook ran before the child exited. */
  public static final class ClosingEntrypoint implements Entrypoint {

    @Override
    public Object run(JobContext context, com.google.gson.JsonObject payload) {
      return null;
    }

    @Override
    public void close() {
      Logger.getLogger(ClosingEntrypoint.class.getName()).warning("closing");
    }
  }
}
