package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static io.warmpool.pool.PoolFixture.pairs;
import static io.warmpool.pool.PoolFixture.pool;
import static io.warmpool.pool.PoolFixture.poolCount;
import static io.warmpool.pool.PoolFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scaling rule, on in-memory children (the pool's logic alone, in milliseconds), with one
 * job end to end and one outside kill on real processes. Two faults must never come back: an
 * idle target of the maximum at full load (it must be zero), and processes running jobs counted
 * as ones that will soon be idle (a new job then waited for an unrelated one to end).
 */
@ExtendWith(VertxExtension.class)
class PoolScalingTest {

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static JsonObject sleep(long ms) {
    return pairs("op", "sleep", "ms", ms);
  }

  @Test
  void warmsUpToMaxIdleAndRunsAJob(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, pool("maxIdle", 2));
    fixture.awaitInfo("2 idle", info -> poolCount(info, "idle") == 2);

    String jobId = fixture.run(pairs("op", "echo", "value", "hi"));

    JsonObject started = fixture.awaitEvent(jobId, "started");
    assertThat(started.getLong("pid")).isPositive();
    JsonObject done = fixture.awaitTerminal(jobId);
    assertThat(done.getString("event")).isEqualTo("completed");
    assertThat(done.getJsonObject("result").getString("value")).isEqualTo("hi");
  }

  /**
   * Processes running jobs are not pending: counting them so would spawn nothing after four jobs
   * took the four warm processes, and a fifth job would wait for one of them to end.
   */
  @Test
  void processesRunningJobsAreReplacedAndLaterJobsDoNotWait(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 4, "maxConcurrentInits", 4, "maxProcesses", 16));
    fixture.awaitInfo("4 idle", info -> poolCount(info, "idle") == 4);

    List<String> longJobs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      longJobs.add(fixture.run(sleep(120_000)));
    }
    for (String jobId : longJobs) {
      fixture.awaitEvent(jobId, "started");
    }
    fixture.awaitInfo("4 running and 4 idle again", info ->
      poolCount(info, "running") == 4 && poolCount(info, "idle") == 4);

    String fifth = fixture.run(pairs("op", "echo", "value", 5));
    String sixth = fixture.run(pairs("op", "echo", "value", 6));
    assertThat(fixture.awaitTerminal(fifth).getString("event")).isEqualTo("completed");
    assertThat(fixture.awaitTerminal(sixth).getString("event")).isEqualTo("completed");
    for (String jobId : longJobs) {
      assertThat(fixture.events(jobId)).as("events of a job that is still running")
        .extracting(e -> e.getString("event")).containsExactly("started");
    }
    for (String jobId : longJobs) {
      fixture.cancel(jobId);
    }
  }

  /** At full load the idle target is zero, not the configured maximum. */
  @Test
  void fullLoadTargetsNoIdleProcessesAndReapsThem(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 2, "scaleDownDelayMs", 200, "scaleDownWindowMs", 300));
    fixture.awaitInfo("2 idle", info -> poolCount(info, "idle") == 2);

    fixture.load(0.9);

    JsonObject info = fixture.awaitInfo("full with no idle process", i ->
      "full".equals(i.getString("status")) && poolCount(i, "idle") == 0 && poolCount(i, "processes") == 0);
    assertThat(poolCount(info, "targetIdle")).isZero();
    JsonObject rejected = fixture.submit(pairs("op", "echo"));
    assertThat(rejected.getString("type")).isEqualTo("rejected");
    assertThat(rejected.getString("reason")).isEqualTo("full");
    assertThat(rejected.getDouble("threshold")).isEqualTo(0.75);

    fixture.load(0.1);
    fixture.awaitInfo("available and warm again", i ->
      "available".equals(i.getString("status")) && poolCount(i, "idle") == 2);
  }

  /**
   * Admission weighs a job just accepted before the average sees it; the target must too. From
   * the average alone it kept a process warm for a job that admission then turned away, which
   * under CPU saturation held idle processes through the whole spell.
   */
  @Test
  void noIdleProcessIsKeptForJobsAdmissionWouldTurnAway(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 2, "scaleDownDelayMs", 30, "scaleDownWindowMs", 0));
    fixture.awaitInfo("2 idle", info -> poolCount(info, "idle") == 2);
    // an average of 0.5, and one job weighs 0.3: one more fits under 0.75, the next does not
    fixture.load(0.5, 0.3);
    fixture.awaitInfo("the sample", info -> info.getDouble("load") == 0.5);

    String job = fixture.run(sleep(120_000));
    fixture.awaitEvent(job, "started");

    JsonObject info = fixture.awaitInfo("no idle process", i -> poolCount(i, "idle") == 0);
    assertThat(info.getString("status")).isEqualTo("available");
    assertThat(info.getDouble("effectiveLoad")).isGreaterThanOrEqualTo(0.75);
    assertThat(poolCount(info, "wantedIdle")).isZero();
    JsonObject rejected = fixture.submit(pairs("op", "echo"));
    assertThat(rejected.getString("reason")).isEqualTo("full");
    fixture.cancel(job);
  }

  /**
   * Load swinging across the threshold must not reap and respawn the pool on every swing: at full
   * the target is 0 (nothing is spawned) but warm processes are reaped only after the window.
   */
  @Test
  void aFullSpellShorterThanTheWindowKeepsTheWarmProcessesAndSpawnsNone(Vertx vertx) throws Exception {
    long delayMs = 30;
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 2, "scaleDownDelayMs", delayMs, "scaleDownWindowMs", 60_000));
    fixture.awaitInfo("2 idle", info -> poolCount(info, "idle") == 2 && poolCount(info, "processes") == 2);
    List<Long> warm = fixture.childPids();

    fixture.load(0.9);
    fixture.awaitInfo("full", info -> "full".equals(info.getString("status")));
    fixture.holdFor("full for ten times pool.scaleDownDelayMs", 10 * delayMs, info -> {
      assertThat(poolCount(info, "targetIdle")).as("target at full").isZero();
      assertThat(poolCount(info, "keepIdle")).as("kept through the window").isEqualTo(2);
      assertThat(poolCount(info, "processes")).as("processes at full").isEqualTo(2);
    });
    fixture.load(0.1);

    fixture.awaitInfo("available", info -> "available".equals(info.getString("status")));
    assertThat(fixture.childPids())
      .as("the same warm processes").isEqualTo(warm);
  }

  /**
   * A reused process back from its job was replaced when it took the job: it is kept through the
   * window, so the next job takes it and spawns nothing (reaping it would spawn again per job).
   */
  @Test
  void aProcessBackFromAJobIsKeptAndTheNextJobSpawnsNothing(Vertx vertx) throws Exception {
    long delayMs = 30;
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 2, "maxJobsPerProcess", 100, "scaleDownDelayMs", delayMs,
      "scaleDownWindowMs", 60_000));
    fixture.awaitInfo("2 idle", info -> poolCount(info, "idle") == 2 && poolCount(info, "processes") == 2);

    assertThat(fixture.awaitTerminal(fixture.run(pairs("op", "echo"))).getString("event")).isEqualTo("completed");
    fixture.awaitInfo("the replacement and the process back from its job idle", info ->
      poolCount(info, "idle") == 3 && poolCount(info, "initializing") == 0);
    List<Long> warm = fixture.childPids();
    fixture.holdFor("ten times pool.scaleDownDelayMs after the job", 10 * delayMs,
      info -> assertThat(poolCount(info, "idle")).as("idle, none reaped").isEqualTo(3));

    assertThat(fixture.awaitTerminal(fixture.run(pairs("op", "echo"))).getString("event")).isEqualTo("completed");
    fixture.awaitInfo("3 idle", info -> poolCount(info, "idle") == 3);
    assertThat(fixture.childPids())
      .as("the same warm processes: none reaped, none spawned").isEqualTo(warm);
  }

  /**
   * The averaged load still holds a job that just ended: taking it for a load with no job in it
   * set the target to maxIdle each time the last job ended (and the damping held it there).
   */
  @Test
  void aJobThatJustEndedStillCountsInTheIdleTargetUntilTheLoadWindowPasses(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, new JsonObject()
      .put("pool", pairs("maxIdle", 4, "scaleDownWindowMs", 0))
      .put("load", pairs("window", 2)));
    fixture.awaitInfo("4 idle", info -> poolCount(info, "idle") == 4);
    String jobId = fixture.run(sleep(500));
    fixture.awaitEvent(jobId, "started");
    fixture.load(0.6, 0.5);
    fixture.awaitInfo("room for one more job", info -> poolCount(info, "wantedIdle") == 1);

    fixture.awaitTerminal(jobId);

    assertThat(poolCount(fixture.info(), "wantedIdle")).as("just after the job ended").isEqualTo(1);
    fixture.load(0.6, 0.5);
    fixture.load(0.6, 0.5);
    fixture.awaitInfo("the job left the load window: no job, so maxIdle", info -> poolCount(info, "wantedIdle") == 4);
  }

  /** LiveKit agents #4818: a job that finds no idle process spawns one even when the target is 0. */
  @Test
  void aWaitingJobSpawnsItsProcessWhenTheTargetIsZero(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 0));
    JsonObject info = fixture.info();
    assertThat(poolCount(info, "targetIdle")).isZero();
    assertThat(poolCount(info, "processes")).isZero();

    String jobId = fixture.run(pairs("op", "echo", "value", 1));
    // the load rises to full while the job waits for its process: it must still get one
    fixture.load(0.95);

    assertThat(fixture.awaitTerminal(jobId).getString("event")).isEqualTo("completed");
  }

  @Test
  void surplusIdleProcessesAreReapedAfterTheDelayAndNotBefore(Vertx vertx) throws Exception {
    long delayMs = 300;
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 2, "scaleDownDelayMs", delayMs, "scaleDownWindowMs", 0));
    fixture.awaitInfo("2 idle", info -> poolCount(info, "idle") == 2);

    long fullAt = System.nanoTime();
    fixture.load(0.8);
    fixture.awaitInfo("no idle process", info -> poolCount(info, "idle") == 0);
    long reapedAfterMs = (System.nanoTime() - fullAt) / 1_000_000;

    assertThat(reapedAfterMs).as("idle processes were reaped before pool.scaleDownDelayMs").isGreaterThanOrEqualTo(delayMs);
  }

  @Test
  void neverMoreProcessesThanTheMaximumNorMoreInitsThanTheLimit(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 3, "maxProcesses", 3, "maxConcurrentInits", 2));
    fixture.awaitInfo("3 idle", info -> poolCount(info, "idle") == 3);
    // three jobs take the warm processes; their replacements would be a 4th, 5th and 6th process
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      jobs.add(fixture.run(sleep(300)));
    }
    for (String jobId : jobs) {
      assertThat(fixture.awaitTerminal(jobId).getString("event")).isEqualTo("completed");
    }
    fixture.awaitInfo("3 idle", info -> poolCount(info, "idle") == 3);

    assertThat(fixture.states).isNotEmpty().allSatisfy(state -> {
      assertThat(poolCount(state, "processes")).isLessThanOrEqualTo(3);
      assertThat(poolCount(state, "initializing")).isLessThanOrEqualTo(2);
    });
  }

  /** Load 0.5 of threshold 0.75, a job weighing 0.25, averaged over 4 samples. */
  private void startAtHalfLoadWithRoomForOneJob(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, new JsonObject()
      .put("pool", pairs("maxIdle", 1))
      .put("load", pairs("window", 4)));
    fixture.load(0.5, 0.25);
    fixture.awaitInfo("load 0.5", info -> info.getDouble("load") == 0.5);
  }

  /** LiveKit agents #4884: two submissions inside one load window, room for one. */
  @Test
  void jobsAcceptedSinceTheLastSampleReserveTheirLoad(Vertx vertx) throws Exception {
    startAtHalfLoadWithRoomForOneJob(vertx);

    JsonObject first = fixture.submit(sleep(100));
    JsonObject second = fixture.submit(sleep(100));

    assertThat(first.getString("type")).isEqualTo("accepted");
    assertThat(second.getString("type")).isEqualTo("rejected");
    assertThat(second.getString("reason")).isEqualTo("full");
    assertThat(second.getDouble("load")).isEqualTo(0.75);
    fixture.awaitTerminal(first.getString("jobId"));
  }

  /** Short jobs are not capped at a few per load interval: a job that ended holds no reservation. */
  @Test
  void aJobThatEndedBeforeTheNextSampleReleasesItsReservation(Vertx vertx) throws Exception {
    startAtHalfLoadWithRoomForOneJob(vertx);

    String first = fixture.run(pairs("op", "echo", "value", 1));
    fixture.awaitTerminal(first);
    JsonObject second = fixture.submit(pairs("op", "echo", "value", 2));

    assertThat(second.getString("type")).as("reply %s", second).isEqualTo("accepted");
    fixture.awaitTerminal(second.getString("jobId"));
    assertThat(fixture.info().getDouble("effectiveLoad")).isEqualTo(0.5);
  }

  /** LiveKit agents #7102: load wobbling around the threshold by less than the hysteresis. */
  @Test
  void statusDoesNotFlapInsideTheHysteresisBand(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, new JsonObject());
    fixture.load(0.76);
    fixture.awaitInfo("full", info -> "full".equals(info.getString("status")));

    for (int i = 0; i < 10; i++) {
      double load = i % 2 == 0 ? 0.72 : 0.77;
      fixture.load(load);
      JsonObject info = fixture.awaitInfo("load " + load, x -> x.getDouble("load") == load);
      assertThat(info.getString("status")).as("status at load %s", load).isEqualTo("full");
    }
    fixture.load(0.69);
    fixture.awaitInfo("available", info -> "available".equals(info.getString("status")));
  }

  @Test
  void anIdleProcessKilledFromOutsideLeavesTheCountsAndIsReplaced(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, pool("maxIdle", 1));
    fixture.awaitInfo("1 idle", info -> poolCount(info, "idle") == 1);
    ProcessHandle idle = ProcessHandle.current().children().findFirst().orElseThrow();

    idle.destroyForcibly();

    fixture.awaitInfo("the dead process gone and a new one idle", info ->
      poolCount(info, "idle") == 1 && ProcessHandle.current().children().noneMatch(p -> p.pid() == idle.pid()));
    assertThat(fixture.states).anySatisfy(state -> assertThat(poolCount(state, "idle")).isZero());
    String jobId = fixture.run(pairs("op", "echo", "value", "after"));
    JsonObject started = fixture.awaitEvent(jobId, "started");
    assertThat(started.getLong("pid")).isNotEqualTo(idle.pid());
    assertThat(fixture.awaitTerminal(jobId).getString("event")).isEqualTo("completed");
  }
}
