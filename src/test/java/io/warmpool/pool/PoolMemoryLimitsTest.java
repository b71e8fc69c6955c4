package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.warmpool.pool.PoolFixture.pairs;
import static io.warmpool.pool.PoolFixture.pool;
import static io.warmpool.pool.PoolFixture.poolCount;
import static io.warmpool.pool.PoolFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool-wide memory rules on real children, as {@code docs/configuration.md} states them:
 * over {@code pool.totalMemorySoftMb} no idle process is added (a job waiting for a process
 * still gets one); over {@code pool.totalMemoryHardMb} idle processes are reaped, busy ones
 * never, and none is spawned in their place while the pool stays over it. The demo's
 * {@code alloc} makes off-heap memory resident in a running child; memory is read every 100 ms.
 * At most four children are alive, one of them holding 160 MB.
 */
@ExtendWith(VertxExtension.class)
class PoolMemoryLimitsTest {

  private static final int ALLOC_MB = 160;

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void overTheTotalSoftLimitNoIdleProcessIsAddedButJobsStillRun(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, pool("maxIdle", 1, "maxProcesses", 4, "totalMemorySoftMb", 120,
      "memoryWarnMb", 0, "pingIntervalMs", 100, "pingTimeoutMs", 5000));
    fixture.awaitInfo("a warm process under the soft limit",
      info -> poolCount(info, "idle") == 1 && residentMb(info) > 0 && residentMb(info) < 120);

    String heavy = fixture.run(pairs("op", "alloc", "mb", ALLOC_MB, "ms", 60_000));
    fixture.awaitEvent(heavy, "started");
    fixture.awaitInfo("the pool over its soft limit", info -> residentMb(info) > 120);
    // the replacement spawned when the heavy job started may have come before the pool went over
    fixture.awaitInfo("the pool settled: no process initialising", info -> poolCount(info, "initializing") == 0);

    String light = fixture.run(pairs("op", "sleep", "ms", 60_000));
    fixture.awaitEvent(light, "started");
    assertStaysFor(1000, "over the soft limit no idle process is spawned for the target",
      info -> poolCount(info, "idle") == 0 && poolCount(info, "initializing") == 0);

    String waiting = fixture.run(pairs("op", "echo", "value", 1));
    assertThat(fixture.awaitTerminal(waiting).getString("event"))
      .as("a job waiting for a process gets one spawned whatever the memory").isEqualTo("completed");

    fixture.cancel(heavy);
    fixture.awaitInfo("under the soft limit again, a warm process is added",
      info -> residentMb(info) < 120 && poolCount(info, "idle") == 1);
    fixture.cancel(light);
  }

  @Test
  void overTheTotalHardLimitIdleProcessesAreReapedBusyOnesNeverAndNoneRespawned(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, pool("maxIdle", 2, "maxProcesses", 4, "totalMemoryHardMb", 140,
      "memoryWarnMb", 0, "pingIntervalMs", 100, "pingTimeoutMs", 5000));
    fixture.awaitInfo("two warm processes under the hard limit",
      info -> poolCount(info, "idle") == 2 && residentMb(info) > 0 && residentMb(info) < 140);

    String heavy = fixture.run(pairs("op", "alloc", "mb", ALLOC_MB, "ms", 60_000));
    long heavyPid = fixture.awaitEvent(heavy, "started").getLong("pid");
    fixture.awaitInfo("the busy process over the hard limit alone, every idle one reaped",
      info -> residentMb(info) > 140 && poolCount(info, "idle") == 0 && poolCount(info, "exiting") == 0
        && poolCount(info, "initializing") == 0);

    int statesBefore = fixture.states.size();
    assertStaysFor(1500, "the pool over its hard limit spawns no idle process to reap it again",
      info -> poolCount(info, "idle") + poolCount(info, "initializing") == 0);
    assertThat(fixture.states.subList(statesBefore, fixture.states.size()))
      .as("every state published while over the hard limit: the busy process alone")
      .allMatch(state -> poolCount(state, "idle") + poolCount(state, "initializing") + poolCount(state, "exiting") == 0
        && poolCount(state, "running") == 1);
    assertThat(ProcessHandle.of(heavyPid)).as("the busy process").hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    assertThat(fixture.events(heavy)).as("the busy process is never reaped for the pool's total")
      .noneMatch(e -> List.of("failed", "cancelled", "completed").contains(e.getString("event")));

    fixture.cancel(heavy);
    fixture.awaitInfo("under the hard limit again, the warm processes come back",
      info -> poolCount(info, "idle") == 2 && residentMb(info) < 140);
  }

  private static long residentMb(JsonObject info) {
    return info.getJsonObject("pool").getLong("residentMb");
  }

  /** Checks {@code condition} on the pool's state every 50 ms for {@code ms}: it must hold every time. */
  private void assertStaysFor(long ms, String what, java.util.function.Predicate<JsonObject> condition) throws Exception {
    long end = System.nanoTime() + ms * 1_000_000;
    while (System.nanoTime() < end) {
      JsonObject info = fixture.info();
      assertThat(condition.test(info)).as("%s; state %s", what, info).isTrue();
      // the sampling interval of a condition that must keep holding, not a wait for an outcome
      Thread.sleep(50);
    }
  }
}
