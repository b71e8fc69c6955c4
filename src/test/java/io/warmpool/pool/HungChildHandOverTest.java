package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static io.warmpool.pool.PoolFixture.pairs;
import static io.warmpool.pool.PoolFixture.pool;
import static io.warmpool.pool.PoolFixture.poolCount;
import static io.warmpool.pool.PoolFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found while building the chaos run: a job handed to an idle process that had just hung (SIGSTOP) never
 * started there, so it is handed to another process when the hung one is killed for missing
 * its pongs, as it is when the process exits before starting it (SPEC 4, agents-js #2321).
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
    fixture = PoolFixture.start(vertx, pool("maxIdle", 1, "pingIntervalMs", 200, "pingTimeoutMs", 3000));
    fixture.awaitInfo("1 idle", info -> poolCount(info, "idle") == 1);
    long hung = ProcessHandle.current().children().findFirst().orElseThrow().pid();
    assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(hung)).start().waitFor(10, TimeUnit.SECONDS)).isTrue();

    String jobId = fixture.run(pairs("op", "echo", "value", "elsewhere"));

    JsonObject terminal = fixture.awaitTerminal(jobId);
    assertThat(terminal.getString("event")).as("terminal event %s", terminal).isEqualTo("completed");
    assertThat(fixture.awaitEvent(jobId, "started").getLong("pid")).isNotEqualTo(hung);
    waitFor("the hung process " + hung + " to be killed", () -> ProcessHandle.of(hung).map(p -> !p.isAlive()).orElse(true));
  }
}
