package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.chaos.ChaosChild;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.warmpool.pool.PoolFixture.pairs;
import static io.warmpool.pool.PoolFixture.poolCount;
import static io.warmpool.pool.PoolFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: real children (src/test/resources/children/chaos_child.py) break the protocol
 * in every way the worker knows of. Each is killed and its job fails {@code protocol-error},
 * while another child of the same pool goes on running its job and new jobs still run. A message
 * of a type the worker does not know is no breach: it is ignored.
 */
@ExtendWith(VertxExtension.class)
class GarbageChildTest {

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aChildWritingGarbageIsKilledWithProtocolErrorWhileAnotherKeepsRunning(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, new JsonObject()
      .put("child", new JsonObject().put("command", ChaosChild.command()))
      .put("pool", pairs("maxIdle", 2, "maxJobsPerProcess", 100, "pingIntervalMs", 200, "pingTimeoutMs", 5000)));
    String steady = fixture.run(pairs("op", "sleep", "ms", 120_000, "tickMs", 50));
    long steadyPid = fixture.awaitEvent(steady, "started").getLong("pid");

    for (String kind : ChaosChild.GARBAGE_KINDS) {
      int ticksBefore = outputs(steady);
      String jobId = fixture.run(pairs("op", "garbage", "kind", kind));
      long pid = fixture.awaitEvent(jobId, "started").getLong("pid");

      JsonObject terminal = fixture.awaitTerminal(jobId);

      assertThat(terminal.getString("event")).as("%s: %s", kind, terminal).isEqualTo("failed");
      assertThat(terminal.getString("reason")).as("%s: %s", kind, terminal).isEqualTo("protocol-error");
      assertThat(pid).isNotEqualTo(steadyPid);
      waitFor("the " + kind + " child " + pid + " to be gone", () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
      waitFor("the steady job to go on after " + kind, () -> outputs(steady) > ticksBefore);
    }

    assertThat(fixture.events(steady).stream().filter(e -> !"output".equals(e.getString("event"))).toList())
      .as("the steady job's events").extracting(e -> e.getString("event")).containsExactly("started");
    assertThat(ProcessHandle.of(steadyPid).map(ProcessHandle::isAlive)).contains(true);
    String echo = fixture.run(pairs("op", "echo", "value", "still serving"));
    assertThat(fixture.awaitTerminal(echo).getString("event")).isEqualTo("completed");
    JsonObject info = fixture.awaitInfo("the pool back at its target", i -> poolCount(i, "idle") == poolCount(i, "targetIdle"));
    assertThat(info.getBoolean("degraded")).isFalse();
    fixture.cancel(steady);
  }

  @Test
  void aMessageOfAnUnknownTypeIsIgnoredAndTheChildKeepsRunning(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, new JsonObject()
      .put("child", new JsonObject().put("command", ChaosChild.command()))
      .put("pool", pairs("maxIdle", 1, "maxJobsPerProcess", 100, "pingIntervalMs", 200, "pingTimeoutMs", 5000)));

    String jobId = fixture.run(pairs("op", "garbage", "kind", ChaosChild.UNKNOWN_TYPE_KIND));
    long pid = fixture.awaitEvent(jobId, "started").getLong("pid");
    JsonObject terminal = fixture.awaitTerminal(jobId);

    // the chaos child follows its unknown message with the job's done
    assertThat(terminal.getString("event")).as("%s", terminal).isEqualTo("completed");
    assertThat(terminal.getValue("result")).isEqualTo("after garbage");
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("the child after its job").contains(true);
  }

  private int outputs(String jobId) {
    return (int) fixture.events(jobId).stream().filter(e -> "output".equals(e.getString("event"))).count();
  }
}
