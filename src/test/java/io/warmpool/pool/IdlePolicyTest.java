package io.warmpool.pool;

import io.micrometer.core.instrument.Counter;
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
 * {@code pool.idlePolicy}: the fixed pool and LiveKit's spawn-only rule, which the benchmarks
 * compare the load-scaled pool with, and what wasted spawns cost. Whatever the policy, nothing
 * is spawned for the idle target at full load.
 */
@ExtendWith(VertxExtension.class)
class IdlePolicyTest {

  private static final long DELAY_MS = 30;

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aFixedPoolKeepsMaxIdleWhateverTheLoadAsksFor(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("idlePolicy", "fixed", "maxIdle", 2, "scaleDownDelayMs", DELAY_MS,
      "scaleDownWindowMs", 0));
    fixture.awaitInfo("2 idle", info -> poolCount(info, "idle") == 2);
    String running = fixture.run(pairs("op", "sleep", "ms", 120_000));
    fixture.awaitEvent(running, "started");

    // one job of 0.3 at a load of 0.6 leaves room for one more below 0.75
    fixture.load(0.6, 0.3);
    JsonObject info = fixture.awaitInfo("the load asking for 1, and 2 idle", i ->
      poolCount(i, "wantedIdle") == 1 && poolCount(i, "idle") == 2);
    assertThat(info.getJsonObject("pool").getString("idlePolicy")).isEqualTo("fixed");
    assertThat(poolCount(info, "targetIdle")).isEqualTo(2);

    holdsItsIdleProcessesThroughAFullSpell();
    fixture.cancel(running);
  }

  /** LiveKit's rule: a lower target stops spawns, and no idle process is closed for it. */
  @Test
  void spawnOnlyNeverClosesAnIdleProcessForALowerTarget(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("idlePolicy", "spawn-only", "maxIdle", 2, "scaleDownDelayMs", DELAY_MS,
      "scaleDownWindowMs", 0));
    fixture.awaitInfo("2 idle", info -> poolCount(info, "idle") == 2);
    String running = fixture.run(pairs("op", "sleep", "ms", 120_000));
    fixture.awaitEvent(running, "started");
    fixture.awaitInfo("2 idle beside the running job", info -> poolCount(info, "idle") == 2);

    // one job of 0.3 at a load of 0.6 leaves room for one more below 0.75
    fixture.load(0.6, 0.3);
    fixture.awaitInfo("a target of 1", i -> poolCount(i, "targetIdle") == 1);
    fixture.holdFor("ten times pool.scaleDownDelayMs at a target of 1", 10 * DELAY_MS,
      info -> assertThat(poolCount(info, "idle")).as("idle processes").isEqualTo(2));

    holdsItsIdleProcessesThroughAFullSpell();
    fixture.cancel(running);
  }

  /** The same pool answers with a scaled policy by closing both idle processes: two wasted spawns. */
  @Test
  void theScaledPoolClosesIdleProcessesAtFullLoadAndCountsThemWasted(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 2, "scaleDownDelayMs", DELAY_MS, "scaleDownWindowMs", 0));
    fixture.awaitInfo("2 idle", info -> poolCount(info, "idle") == 2);
    assertThat(fixture.awaitInfo("scaled", i -> true).getJsonObject("pool").getString("idlePolicy")).isEqualTo("scaled");
    String job = fixture.run(pairs("op", "echo", "value", 1));
    fixture.awaitTerminal(job);

    fixture.load(0.9);

    fixture.awaitInfo("no process left", info -> poolCount(info, "processes") == 0);
    waitFor("2 wasted spawns counted", () -> wasted("surplus") == 2);
    assertThat(fixture.registry.find("warmpool.spawns.wasted").counters().stream().mapToDouble(Counter::count).sum())
      .as("the process that ran a job was not wasted, whatever closed it").isEqualTo(2);
  }

  /** A real child's start takes CPU; a real child closed without a job counts that CPU as wasted. */
  @Test
  void spawnCpuIsReadFromRealChildren(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, pool("maxIdle", 1, "scaleDownDelayMs", DELAY_MS, "scaleDownWindowMs", 0));
    fixture.awaitInfo("1 idle", info -> poolCount(info, "idle") == 1);
    waitFor("the start's CPU counted", () -> counter("warmpool.spawn.cpu") > 0);
    double spawnCpu = counter("warmpool.spawn.cpu");

    fixture.load(0.9);

    waitFor("the idle child closed as a wasted spawn", () -> wasted("surplus") == 1);
    assertThat(counter("warmpool.spawns.wasted.cpu")).isEqualTo(spawnCpu);
  }

  /** Full for many times the scale-down delay: nothing spawned, nothing closed, the same processes after. */
  private void holdsItsIdleProcessesThroughAFullSpell() throws Exception {
    List<Long> warm = fixture.childPids();
    fixture.load(0.9);
    fixture.awaitInfo("full", info -> "full".equals(info.getString("status")));
    fixture.holdFor("full for ten times pool.scaleDownDelayMs", 10 * DELAY_MS, info -> {
      assertThat(poolCount(info, "targetIdle")).as("target at full").isZero();
      assertThat(poolCount(info, "idle")).as("idle processes at full").isEqualTo(2);
    });
    fixture.load(0.1);
    fixture.awaitInfo("available", info -> "available".equals(info.getString("status")));
    assertThat(fixture.childPids()).as("the same processes").isEqualTo(warm);
    assertThat(fixture.registry.find("warmpool.spawns.wasted").counters()).as("no wasted spawn")
      .allMatch(c -> c.count() == 0);
  }

  private double wasted(String cause) {
    Counter counter = fixture.registry.find("warmpool.spawns.wasted").tag("cause", cause).counter();
    return counter == null ? 0 : counter.count();
  }

  private double counter(String name) {
    return fixture.registry.get(name).counter().count();
  }
}
