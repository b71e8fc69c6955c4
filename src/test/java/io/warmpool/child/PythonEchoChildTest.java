package io.warmpool.child;

import io.vertx.core.json.JsonObject;
import io.warmpool.protocol.ChildMessage.Done;
import io.warmpool.protocol.ChildMessage.Exiting;
import io.warmpool.protocol.ChildMessage.Failed;
import io.warmpool.protocol.ChildMessage.Pong;
import io.warmpool.protocol.ChildMessage.Started;
import io.warmpool.protocol.WorkerMessage.Ping;
import io.warmpool.protocol.WorkerMessage.Shutdown;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Python child speaks the same protocol: proof that docs/protocol.md is enough to write one. */
@Timeout(60)
class PythonEchoChildTest {

  @TempDir
  Path logs;

  private FakeWorker worker;

  @BeforeEach
  void startWorker() throws Exception {
    assumeTrue(pythonAvailable(), "python3 is not on the PATH");
    worker = new FakeWorker(logs);
  }

  @AfterEach
  void killEverything() throws Exception {
    if (worker != null) {
      worker.close();
    }
  }

  @Test
  void echoJobRunsAfterTheHandshake() throws Exception {
    Process child = worker.start(List.of("python3", script().toString()));

    worker.handshakeReady("ignored.by.Python");
    assertThat(worker.childPid()).isEqualTo(child.pid());

    worker.startJob("py-1", new JsonObject().put("op", "echo").put("value", new JsonObject().put("x", "ü")));
    assertThat(worker.expect(Started.class).jobId()).isEqualTo("py-1");
    Done done = worker.expect(Done.class);
    assertThat(done.jobId()).isEqualTo("py-1");
    assertThat(done.result()).isEqualTo(new JsonObject().put("value", new JsonObject().put("x", "ü")));
  }

  @Test
  void otherOpsFailAndTheChildStaysUsable() throws Exception {
    worker.start(List.of("python3", script().toString()));
    worker.handshakeReady("ignored.by.Python");

    worker.startJob("py-2", new JsonObject().put("op", "sleep").put("ms", 10));
    worker.expect(Started.class);
    assertThat(worker.expect(Failed.class).error()).startsWith("ValueError: unknown op 'sleep'");

    worker.send(new Ping(5));
    assertThat(worker.expect(Pong.class).seq()).isEqualTo(5);
    worker.startJob("py-3", new JsonObject().put("op", "echo").put("value", 1));
    worker.expect(Started.class);
    assertThat(((JsonObject) worker.expect(Done.class).result()).getInteger("value")).isEqualTo(1);
  }

  @Test
  void shutdownSendsExitingAndExitsZero() throws Exception {
    worker.start(List.of("python3", script().toString()));
    worker.handshakeReady("ignored.by.Python");

    worker.send(new Shutdown("test"));

    worker.expect(Exiting.class);
    assertThat(worker.awaitExit(FakeWorker.FRAME_TIMEOUT)).isEqualTo(0);
  }

  @Test
  void closingTheChannelMakesItExit() throws Exception {
    worker.start(List.of("python3", script().toString()));
    worker.handshakeReady("ignored.by.Python");

    worker.closeChannel();

    assertThat(worker.awaitExit(Duration.ofSeconds(5))).isEqualTo(4);
  }

  private static Path script() throws URISyntaxException {
    return Paths.get(PythonEchoChildTest.class.getResource("/children/echo_child.py").toURI());
  }

  private static boolean pythonAvailable() {
    try {
      Process probe = new ProcessBuilder("python3", "--version").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!probe.waitFor(10, TimeUnit.SECONDS)) {
        probe.destroyForcibly().waitFor();
        return false;
      }
      return probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
