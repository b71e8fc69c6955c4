package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;

import static io.warmpool.pool.PoolFixture.pairs;
import static io.warmpool.pool.PoolFixture.pool;
import static io.warmpool.pool.PoolFixture.poolCount;
import static io.warmpool.pool.PoolFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way a child or a job can fail, each with its reason: on real child processes where the
 * process itself is the point (exit codes, signals, memory, output), on in-memory children where
 * only the pool's rules are.
 */
@ExtendWith(VertxExtension.class)
class PoolFailuresTest {

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static JsonObject child(String entrypoint) {
    return new JsonObject().put("child", pairs("entrypoint", entrypoint));
  }

  private JsonObject failure(String jobId) throws Exception {
    JsonObject terminal = fixture.awaitTerminal(jobId);
    assertThat(terminal.getString("event")).as("terminal event %s", terminal).isEqualTo("failed");
    return terminal;
  }

  @Test
  void aCrashInAJobFailsItAsCrashedWithTheExitCode(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, pool("maxIdle", 1));
    String jobId = fixture.run(pairs("op", "crash", "code", 7));

    JsonObject failed = failure(jobId);
    assertThat(failed.getString("reason")).isEqualTo("crashed");
    assertThat(failed.getString("detail")).contains("code 7");
    fixture.awaitInfo("1 idle again", info -> poolCount(info, "idle") == 1);
  }

  @Test
  void aJobThatThrowsFailsWithErrorAndTheProcessIsRecycled(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, pool("maxIdle", 1));
    String jobId = fixture.run(pairs("op", "no-such-op"));

    JsonObject failed = failure(jobId);
    assertThat(failed.getString("reason")).isEqualTo("error");
    assertThat(failed.getString("detail")).contains("no-such-op");
  }

  @Test
  void aJobOverItsTimeoutIsKilledWithReasonTimeout(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, pool("maxIdle", 1));
    String jobId = fixture.submitRequest(new JsonObject()
      .put("payload", pairs("op", "sleep", "ms", 60_000))
      .put("timeoutMs", 500)).getString("jobId");

    JsonObject failed = failure(jobId);
    assertThat(failed.getString("reason")).isEqualTo("timeout");
    assertThat(failed.getString("detail")).contains("500 ms");
  }

  /** job.timeoutMs is the operator's bound: a submission may shorten it, never lengthen it. */
  @Test
  void aSubmissionCannotOutliveTheWorkersTimeout(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, pool("maxIdle", 1).put("job", new JsonObject().put("timeoutMs", 500)));
    String jobId = fixture.submitRequest(new JsonObject()
      .put("payload", pairs("op", "sleep", "ms", 60_000))
      .put("timeoutMs", 3_600_000)).getString("jobId");

    JsonObject failed = failure(jobId);
    assertThat(failed.getString("reason")).isEqualTo("timeout");
    assertThat(failed.getString("detail")).contains("500 ms");
  }

  @Test
  void aProcessOverTheMemoryLimitIsKilledWithReasonMemoryLimit(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, pool("maxIdle", 1, "memoryLimitMb", 150, "memoryWarnMb", 100,
      "pingIntervalMs", 200, "pingTimeoutMs", 5000));
    String jobId = fixture.run(pairs("op", "alloc", "mb", 300, "ms", 60_000));

    JsonObject failed = failure(jobId);
    assertThat(failed.getString("reason")).isEqualTo("memory-limit");
    assertThat(failed.getString("detail")).contains("pool.memoryLimitMb (150 MB)");
  }

  @Test
  void aHungJobIsCancelledAndItsProcessKilledAfterTheCloseTimeout(Vertx vertx) throws Exception {
    // a short grace: this test is about the kill after the close timeout
    fixture = PoolFixture.start(vertx, pool("maxIdle", 1, "closeTimeoutMs", 500).put("job", pairs("cancelGraceMs", 100)));
    String jobId = fixture.run(pairs("op", "hang"));
    long pid = fixture.awaitEvent(jobId, "started").getLong("pid");

    fixture.cancel(jobId);

    assertThat(fixture.awaitTerminal(jobId).getString("event")).isEqualTo("cancelled");
    waitFor("the hung process " + pid + " to be killed", () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void aQueuedJobCanBeCancelled(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 0, "maxProcesses", 1));
    String running = fixture.run(pairs("op", "sleep", "ms", 60_000));
    fixture.awaitEvent(running, "started");
    String queued = fixture.run(pairs("op", "echo"));

    JsonObject record = fixture.cancel(queued);

    assertThat(record.getString("state")).isEqualTo("cancelled");
    assertThat(fixture.awaitTerminal(queued).getString("event")).isEqualTo("cancelled");
    assertThat(fixture.events(queued)).hasSize(1);
    fixture.cancel(running);
  }

  @Test
  void aDuplicateJobIdIsRejected(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 1));
    JsonObject request = new JsonObject().put("jobId", "job-1").put("payload", pairs("op", "echo"));

    assertThat(fixture.submitRequest(request).getString("type")).isEqualTo("accepted");
    JsonObject second = fixture.submitRequest(request);

    assertThat(second.getString("type")).isEqualTo("rejected");
    assertThat(second.getString("reason")).isEqualTo("duplicate");
    fixture.awaitTerminal("job-1");
  }

  @Test
  void aProcessRecyclesAfterMaxJobsPerProcess(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 1, "maxJobsPerProcess", 3));
    long[] pids = new long[4];
    for (int i = 0; i < 4; i++) {
      String jobId = fixture.run(pairs("op", "echo", "value", i));
      pids[i] = fixture.awaitEvent(jobId, "started").getLong("pid");
      fixture.awaitTerminal(jobId);
    }
    assertThat(pids[1]).isEqualTo(pids[0]);
    assertThat(pids[2]).isEqualTo(pids[0]);
    assertThat(pids[3]).isNotEqualTo(pids[0]);
  }

  @Test
  void aProcessOverTheSoftMemoryLimitFinishesItsJobAndIsNotReused(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, pool("maxIdle", 1, "maxJobsPerProcess", 1000, "memorySoftMb", 150,
      "memoryWarnMb", 0, "pingIntervalMs", 200, "pingTimeoutMs", 5000));
    String heavy = fixture.run(pairs("op", "alloc", "mb", 250, "ms", 1500));
    long heavyPid = fixture.awaitEvent(heavy, "started").getLong("pid");

    assertThat(fixture.awaitTerminal(heavy).getString("event")).as("the soft limit never kills a job").isEqualTo("completed");
    waitFor("the heavy process " + heavyPid + " to be recycled", () -> ProcessHandle.of(heavyPid).map(p -> !p.isAlive()).orElse(true));
    String next = fixture.run(pairs("op", "echo", "value", 1));
    assertThat(fixture.awaitEvent(next, "started").getLong("pid")).isNotEqualTo(heavyPid);
  }

  @Test
  void recyclingJitterSpreadsTheJobLimitOfProcesses(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 1, "maxJobsPerProcess", 2, "maxJobsPerProcessJitter", 3));
    java.util.Map<Long, Integer> jobsByPid = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      String jobId = fixture.run(pairs("op", "echo", "value", i));
      long pid = fixture.awaitEvent(jobId, "started").getLong("pid");
      fixture.awaitTerminal(jobId);
      jobsByPid.merge(pid, 1, Integer::sum);
    }
    // every process but the last ran between 2 and 2 + 3 jobs, and not all the same number
    List<Integer> finished = List.copyOf(jobsByPid.values()).subList(0, jobsByPid.size() - 1);
    assertThat(finished).allSatisfy(n -> assertThat(n).isBetween(2, 5));
    assertThat(new java.util.HashSet<>(finished)).hasSizeGreaterThan(1);
  }

  @Test
  void aChildSpammingStdoutAndStderrDoesNotBreakTheProtocol(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, pool("maxIdle", 1, "maxJobsPerProcess", 2));
    String spam = fixture.run(pairs("op", "spam", "lines", 5000));
    assertThat(fixture.awaitTerminal(spam).getString("event")).isEqualTo("completed");

    String echo = fixture.run(pairs("op", "echo", "value", "clean"));
    JsonObject done = fixture.awaitTerminal(echo);
    assertThat(done.getJsonObject("result").getString("value")).isEqualTo("clean");
  }

  @Test
  void aStoppedChildMissesItsPongsAndIsKilled(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, pool("maxIdle", 1, "pingIntervalMs", 200, "pingTimeoutMs", 1000));
    fixture.awaitInfo("1 idle", info -> poolCount(info, "idle") == 1);
    long pid = ProcessHandle.current().children().findFirst().orElseThrow().pid();

    new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();

    waitFor("the stopped process " + pid + " to be killed", () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    fixture.awaitInfo("a new idle process", info -> poolCount(info, "idle") == 1);
  }

  @Test
  void aCrashWhileWarmingUpBacksOffAndAWaitingJobFailsInitFailed(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, child(TestEntrypoints.CrashInPrewarm.class.getName())
      .put("pool", pairs("maxIdle", 2, "initTimeoutMs", 2000)));
    String jobId = fixture.run(pairs("op", "echo"));

    JsonObject failed = failure(jobId);

    assertThat(failed.getString("reason")).isEqualTo("init-failed");
    assertThat(failed.getString("detail")).contains("code 3");
    JsonObject spawn = fixture.info().getJsonObject("spawn");
    // without back-off, two inits at a time failing in ~0.5 s would be ~8 failures by now
    assertThat(spawn.getInteger("consecutiveInitFailures")).isBetween(2, 5);
    assertThat(spawn.getLong("backoffMs")).isGreaterThanOrEqualTo(1000);
  }

  @Test
  void aChildThatNeverGetsReadyIsKilledAfterTheInitTimeout(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, child(TestEntrypoints.EndlessPrewarm.class.getName())
      .put("pool", pairs("maxIdle", 1, "initTimeoutMs", 1000)));

    JsonObject info = fixture.awaitInfo("an init failure", i ->
      i.getJsonObject("spawn").getInteger("consecutiveInitFailures") >= 1);

    assertThat(info.getJsonObject("spawn").getString("lastInitError")).contains("pool.initTimeoutMs (1000 ms)");
    assertThat(poolCount(info, "idle")).isZero();
  }

  @Test
  void anUnknownEntrypointFailsInitialisationWithItsName(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, child("no.such.Entrypoint"));

    JsonObject info = fixture.awaitInfo("an init failure", i ->
      i.getJsonObject("spawn").getInteger("consecutiveInitFailures") >= 1);

    assertThat(info.getJsonObject("spawn").getString("lastInitError")).contains("no.such.Entrypoint");
  }

  @Test
  void aChildWrittenInPythonRunsJobs(Vertx vertx) throws Exception {
    Path script = Path.of("src/test/resources/children/echo_child.py").toAbsolutePath();
    fixture = PoolFixture.start(vertx, new JsonObject()
      .put("child", new JsonObject().put("command", new JsonArray(List.of("python3", script.toString()))))
      .put("pool", pairs("maxIdle", 1)));

    String jobId = fixture.run(pairs("op", "echo", "value", "from python"));

    JsonObject done = fixture.awaitTerminal(jobId);
    assertThat(done.getString("event")).isEqualTo("completed");
    assertThat(done.toString()).contains("from python");
  }
}
