package io.warmpool.child;

import io.vertx.core.json.JsonObject;
import io.warmpool.demo.DemoEntrypoint;
import io.warmpool.protocol.ChildMessage.Done;
import io.warmpool.protocol.ChildMessage.Exiting;
import io.warmpool.protocol.ChildMessage.Failed;
import io.warmpool.protocol.ChildMessage.Log;
import io.warmpool.protocol.ChildMessage.Started;
import io.warmpool.protocol.WorkerMessage.Shutdown;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java child runs a process's jobs one after another on one long-lived thread
 * (docs/child-runtime.md, "Inside"): what the runtime puts on that thread is each job's own,
 * what a job puts there itself is documented to survive, and shutdown still interrupts the job
 * that runs. A real child process against the fake worker.
 */
@Timeout(120)
class JobThreadReuseTest {

  private static final String SCRIPTED = ScriptedEntrypoint.class.getName();

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
  void theJobsOfAProcessRunOnOneThreadNamedAfterEachJob() throws Exception {
    readyChild(SCRIPTED);

    JsonObject first = threadOf("a");
    JsonObject second = threadOf("b");
    JsonObject third = threadOf("c");

    assertThat(second.getLong("id")).as("one thread for every job").isEqualTo(first.getLong("id"));
    assertThat(third.getLong("id")).isEqualTo(first.getLong("id"));
    assertThat(first.getString("name")).isEqualTo("warmpool-job-a");
    assertThat(third.getString("name")).isEqualTo("warmpool-job-c");
    // documented: a job's own ThreadLocals are still there for the next job of the process
    assertThat(first.getString("leftByLastJob")).isNull();
    assertThat(second.getString("leftByLastJob")).isEqualTo("a");
    assertThat(third.getString("leftByLastJob")).isEqualTo("b");
  }

  @Test
  void anInterruptAJobLeavesBehindDoesNotReachTheNextJob() throws Exception {
    readyChild(SCRIPTED);
    long thread = threadOf("before").getLong("id");

    worker.startJob("interrupts", new JsonObject().put("op", "interruptItself"));
    worker.expect(Started.class);
    assertThat(worker.expect(Done.class).result()).isEqualTo("interrupted");

    JsonObject next = threadOf("after");
    assertThat(next.getLong("id")).isEqualTo(thread);
    assertThat(next.getBoolean("interrupted")).as("the next job starts without the interrupt").isFalse();
  }

  @Test
  void eachJobsLogRecordsNameThatJobThoughTheThreadIsTheSame() throws Exception {
    readyChild(ConformanceEntrypoint.class.getName());

    for (String jobId : new String[] {"first", "second"}) {
      worker.startJob(jobId, new JsonObject().put("op", "log").put("message", "from " + jobId));
      worker.expect(Started.class);
      Log log = worker.expect(Log.class);
      assertThat(log.message()).isEqualTo("from " + jobId);
      assertThat(log.jobId()).isEqualTo(jobId);
      worker.expect(Done.class);
    }
  }

  @Test
  void shutdownInterruptsALaterJobOnTheReusedThread() throws Exception {
    readyChild(DemoEntrypoint.class.getName());
    worker.startJob("quick", new JsonObject().put("op", "echo").put("value", 1));
    worker.expect(Started.class);
    worker.expect(Done.class);
    worker.startJob("long", new JsonObject().put("op", "sleep").put("ms", 600_000));
    worker.expect(Started.class);

    worker.send(new Shutdown("drain"));

    Failed failed = worker.expect(Failed.class);
    assertThat(failed.jobId()).isEqualTo("long");
    assertThat(failed.error()).startsWith("java.lang.InterruptedException");
    worker.expect(Exiting.class);
    assertThat(worker.awaitExit(FakeWorker.FRAME_TIMEOUT)).isEqualTo(ExitCode.OK);
  }

  /** Runs the scripted {@code thread} job and returns what it saw of its thread. */
  private JsonObject threadOf(String jobId) throws Exception {
    worker.startJob(jobId, new JsonObject().put("op", "thread"));
    assertThat(worker.expect(Started.class).jobId()).isEqualTo(jobId);
    return (JsonObject) worker.expect(Done.class).result();
  }

  private void readyChild(String entrypoint) throws Exception {
    worker.startJavaChild();
    worker.handshakeReady(entrypoint);
  }
}
