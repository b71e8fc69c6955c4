package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.bus.Addresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static io.warmpool.pool.PoolFixture.await;
import static io.warmpool.pool.PoolFixture.pairs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-down never touches a busy process: jobs are handed to idle processes while the idle
 * target swings and surplus idle processes are reaped with no delay. Every job must start on
 * the first process it was handed to and complete. The race is the pool's own, so in-memory
 * children, ready in one turn of the event loop, let it churn through many processes quickly.
 */
@ExtendWith(VertxExtension.class)
class ScaleDownRaceTest {

  private static final int ROUNDS = 1000;
  private static final int JOBS_PER_ROUND = 2;

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void noJobLandsOnAProcessThatIsBeingReaped(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, new JsonObject()
      .put("pool", pairs("maxIdle", 3, "maxProcesses", 8, "maxConcurrentInits", 3, "maxJobsPerProcess", 1_000_000,
        "scaleDownDelayMs", 0, "scaleDownWindowMs", 0, "maxSpawnRate", 8)));

    List<String> jobs = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      // no load: the target is 3 idle processes
      fixture.load(0.0);
      List<String> batch = new ArrayList<>();
      for (int i = 0; i < JOBS_PER_ROUND; i++) {
        batch.add(fixture.run(pairs("op", "echo", "value", round)));
      }
      // with jobs running, 0.6 leaves room for one idle process: the target falls while the
      // jobs are being handed over, and with no scale-down delay the surplus is reaped at once
      fixture.load(0.6);
      for (String jobId : batch) {
        fixture.awaitTerminal(jobId);
      }
      jobs.addAll(batch);
    }

    for (String jobId : jobs) {
      assertThat(fixture.events(jobId)).extracting(e -> e.getString("event")).containsExactly("started", "completed");
      JsonObject record = await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsGet(), new JsonObject().put("jobId", jobId))).body();
      assertThat(record.getInteger("handOvers")).as("hand-overs of %s", jobId).isEqualTo(1);
    }
    // in-memory children exit within a turn of the event loop, too fast for the coalesced state
    // to show them exiting: what each child was sent tells
    assertThat(fixture.fakes.launched).as("surplus idle processes were reaped during the run")
      .anySatisfy(child -> assertThat(child.receivedTypes()).contains("shutdown"));
  }
}
