package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.pool.policy.SpawnBackoff;
import io.warmpool.protocol.ChildMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.warmpool.pool.PoolFixture.pairs;
import static io.warmpool.pool.PoolFixture.pool;
import static io.warmpool.pool.PoolFixture.poolCount;
import static io.warmpool.pool.PoolFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool whose children fail to start: after 3 failed initialisations in a row it is
 * {@code degraded}, turns submissions away at once with reason {@code degraded} while no process
 * is idle (instead of letting them wait to fail {@code init-failed}), and is taken out of it by
 * the first process that starts again.
 */
@ExtendWith(VertxExtension.class)
class PoolDegradedTest {

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static JsonObject echo() {
    return pairs("op", "echo", "value", "hi");
  }

  private JsonObject awaitDegraded(boolean degraded) throws Exception {
    return fixture.awaitInfo("degraded " + degraded, info -> info.getBoolean("degraded") == degraded);
  }

  private static void assertRejectedDegraded(JsonObject reply) {
    assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("rejected");
    assertThat(reply.getString("reason")).as("reply %s", reply).isEqualTo("degraded");
  }

  @Test
  void aChildThatAlwaysFailsToStartMakesThePoolDegradedAndASubmissionIsRejectedAtOnce(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, new JsonObject()
      .put("child", pairs("entrypoint", TestEntrypoints.CrashInPrewarm.class.getName()))
      .put("pool", pairs("maxIdle", 1)));

    JsonObject info = awaitDegraded(true);
    waitFor("a published state that says degraded", () -> fixture.states.stream().anyMatch(s -> s.getBoolean("degraded")));
    assertThat(info.getJsonObject("spawn").getInteger("consecutiveInitFailures")).isGreaterThanOrEqualTo(3);

    JsonObject reply = fixture.submit(echo());

    assertRejectedDegraded(reply);
    assertThat(reply.getString("message")).contains("code 3");
    assertThat(fixture.info().getInteger("waitingJobs")).as("nothing left waiting to fail init-failed").isZero();
  }

  @Test
  void theRejectionCarriesTheLastErrorCutShortAndChildrenThatStartAgainEndIt(Vertx vertx) throws Exception {
    String longError = "model weights missing: " + "x".repeat(10_000);
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 1), fakes -> fakes.initError = longError);
    awaitDegraded(true);

    JsonObject reply = fixture.submit(echo());

    assertRejectedDegraded(reply);
    assertThat(reply.getString("message")).contains("prewarm failed: model weights missing: xxx")
      .hasSizeLessThanOrEqualTo(SpawnBackoff.MAX_ERROR_CHARS + 100);

    fixture.fakes.initError = null;
    JsonObject info = awaitDegraded(false);

    assertThat(info.getJsonObject("spawn").getInteger("consecutiveInitFailures")).isZero();
    String jobId = fixture.run(echo());
    assertThat(fixture.awaitTerminal(jobId).getString("event")).isEqualTo("completed");
  }

  /**
   * With {@code pool.maxIdle} 0 only jobs spawn processes, and a degraded pool turns jobs away:
   * without a probe of its own it would never learn that its children start again.
   */
  @Test
  void aDegradedPoolWithNoIdleTargetProbesAndRecovers(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 0, "initTimeoutMs", 60_000), fakes -> fakes.initError = "no GPU");
    // the only thing that asks for a process: a job, whose spawns fail until it is cancelled
    String waiting = fixture.run(echo());
    awaitDegraded(true);
    fixture.cancel(waiting);
    assertRejectedDegraded(fixture.submit(echo()));

    fixture.fakes.initError = null;

    awaitDegraded(false);
    String jobId = fixture.run(echo());
    assertThat(fixture.awaitTerminal(jobId).getString("event")).isEqualTo("completed");
  }

  @Test
  void aDegradedPoolStillRunsAJobOnAProcessThatIsIdle(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 1, "maxJobsPerProcess", 10));
    fixture.awaitInfo("a warm process", info -> poolCount(info, "idle") == 1);
    fixture.fakes.initError = "no GPU";
    // the warm process takes a long job; its replacement fails to start, again and again
    String longJob = fixture.run(pairs("op", "sleep", "ms", 600_000));
    fixture.awaitEvent(longJob, "started");
    awaitDegraded(true);
    assertRejectedDegraded(fixture.submit(echo()));

    FakeLauncher.FakeChild warm = fixture.fakes.launched.get(0);
    warm.send(new ChildMessage.Done(longJob, new JsonObject()));
    fixture.awaitInfo("the warm process idle again", info -> poolCount(info, "idle") == 1);

    assertThat(fixture.info().getBoolean("degraded")).isTrue();
    String jobId = fixture.run(echo());
    JsonObject started = fixture.awaitEvent(jobId, "started");
    assertThat(started.getLong("pid")).isEqualTo(warm.pid);
    assertThat(fixture.awaitTerminal(jobId).getString("event")).isEqualTo("completed");
  }
}
