package io.warmpool.demo;

import io.vertx.core.json.JsonObject;
import io.warmpool.child.FakeWorker;
import io.warmpool.protocol.ChildMessage.Done;
import io.warmpool.protocol.ChildMessage.Exiting;
import io.warmpool.protocol.ChildMessage.Failed;
import io.warmpool.protocol.ChildMessage.Started;
import io.warmpool.protocol.WorkerMessage.Shutdown;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.assertj.core.api.Assertions.assertThat;

/** The ops that only mean something in a real child process. */
@Timeout(60)
class DemoEntrypointProcessTest {

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

  @Test
  @EnabledOnOs(OS.LINUX)
  void allocRaisesResidentMemoryBeyondTheHeapLimit() throws Exception {
    worker.startJavaChild(); // -Xmx64m: 192 MiB cannot come from the heap
    worker.handshakeReady(DemoEntrypoint.class.getName());
    long before = residentKb(worker.childPid());

    worker.startJob("mem", new JsonObject().put("op", "alloc").put("mb", 192).put("ms", 60_000));
    worker.expect(Started.class);

    long deadline = System.nanoTime() + 20_000_000_000L;
    long rise = 0;
    while (rise < 180 * 1024 && System.nanoTime() < deadline) {
      // Polling /proc is the only way to watch RSS; the pause is the poll interval, not a wait.
      assertThat(worker.nothingWithin(java.time.Duration.ofMillis(100))).as("no frame while memory is held").isTrue();
      rise = residentKb(worker.childPid()) - before;
    }
    assertThat(rise).as("RSS rise in KiB").isGreaterThanOrEqualTo(180 * 1024);

    // Freed when the job ends, early here because shutdown interrupts the hold.
    worker.send(new Shutdown("test over"));
    assertThat(worker.expect(Failed.class).error()).startsWith("java.lang.InterruptedException");
    worker.expect(Exiting.class);
  }

  @Test
  void burnCompletesWithItsDuration() throws Exception {
    worker.startJavaChild();
    worker.handshakeReady(DemoEntrypoint.class.getName());

    worker.startJob("cpu", new JsonObject().put("op", "burn").put("ms", 200));

    worker.expect(Started.class);
    assertThat(worker.expect(Done.class).result()).isEqualTo(new JsonObject().put("burnedMs", 200));
  }

  private static long residentKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Paths.get("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid);
  }
}
