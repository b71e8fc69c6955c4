package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.warmpool.pool.PoolFixture.pairs;
import static io.warmpool.pool.PoolFixture.pool;
import static io.warmpool.pool.PoolFixture.poolCount;
import static io.warmpool.pool.PoolFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found while building the chaos run: a job handed to an idle process that had just hung (SIGSTOP) never
 * started there, so it is handed to another process when the hung one is killed for missing
 * its pongs, as it is when the process exits before starting it: none of the job ran, so the
 * death cannot be its fault (agents-js #2321).
 */
@ExtendWith(VertxExtension.class)
class HungChildHandOverTest {

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aJobHandedToAHungIdleProcessRunsOnAnother(Vertx vertx) throws Exception {
    // a ping timeout a busy machine cannot reach with a healthy child: only the stopped one misses it
    fixture = PoolFixture.start(vertx, pool("maxIdle", 1, "pingIntervalMs", 250, "pingTimeoutMs", 5000));
    fixture.awaitInfo("1 idle", info -> poolCount(info, "idle") == 1 && poolCount(info, "processes") == 1);
    List<ProcessHandle> children = ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
    assertThat(children).as("the pool's one child").hasSize(1);
    long hung = children.get(0).pid();
    assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(hung)).start().waitFor(10, TimeUnit.SECONDS)).isTrue();

    String jobId = fixture.run(pairs("op", "echo", "value", "elsewhere"));

    JsonObject terminal = fixture.awaitTerminal(jobId);
    List<JsonObject> events = fixture.events(jobId);
    assertThat(events).as("events of the job").anySatisfy(e -> {
      assertThat(e.getString("event")).isEqualTo("started");
      assertThat(e.getLong("pid")).as("the process that started it").isNotEqualTo(hung);
    });
    // it ran on another process, so it completed there, unless that process too missed its
    // pongs: a machine busy enough to hold a healthy child's pong for pingTimeoutMs was seen
    if (!"completed".equals(terminal.getString("event"))) {
      assertThat(terminal.getString("detail")).as("terminal event %s after %s", terminal, events).startsWith("no pong");
    }
    waitFor("the hung process " + hung + " to be killed", () -> ProcessHandle.of(hung).map(p -> !p.isAlive()).orElse(true));
  }
}
