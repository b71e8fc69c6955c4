package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.pool.FakeLauncher.FakeChild;
import io.warmpool.protocol.ChildMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;

import static io.warmpool.pool.PoolFixture.pairs;
import static io.warmpool.pool.PoolFixture.pool;
import static io.warmpool.pool.PoolFixture.poolCount;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child's {@code log} records: a {@code log} event of the running job for the clients that
 * asked for logs when submitting (on the bus here), never a protocol error whatever job they name.
 */
@ExtendWith(VertxExtension.class)
class ChildLogTest {

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private String submit(JsonObject payload, boolean logs) throws Exception {
    JsonObject reply = fixture.submitRequest(new JsonObject().put("payload", payload).put("logs", logs));
    assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("accepted");
    return reply.getString("jobId");
  }

  private static List<String> names(List<JsonObject> events) {
    return events.stream().map(e -> e.getString("event")).toList();
  }

  @Test
  void aJobSubmittedWithLogsGetsItsRecordsAsLogEvents(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 1));

    String jobId = submit(pairs("op", "log", "level", "warn", "message", "disk {} slow", "fields", pairs("ms", 12)), true);

    fixture.awaitTerminal(jobId);
    assertThat(names(fixture.events(jobId))).containsExactly("started", "log", "completed");
    assertThat(fixture.events(jobId).get(1)).isEqualTo(new JsonObject().put("type", "job").put("jobId", jobId)
      .put("event", "log").put("level", "warn").put("message", "disk {} slow").put("fields", pairs("ms", 12)).put("seq", 2));
  }

  @Test
  void aJobSubmittedWithoutLogsGetsNone(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 1));

    String jobId = submit(pairs("op", "log", "message", "quiet"), false);

    fixture.awaitTerminal(jobId);
    assertThat(names(fixture.events(jobId))).containsExactly("started", "completed");
  }

  @Test
  void recordsOutsideAJobOrForAnotherJobAreNoProtocolError(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, pool("maxIdle", 1, "maxJobsPerProcess", 10));
    fixture.awaitInfo("1 idle", info -> poolCount(info, "idle") == 1);
    FakeChild child = fixture.fakes.launched.get(0);

    child.send(new ChildMessage.Log("info", "warm", new JsonObject(), null));
    child.send(new ChildMessage.Log("error", "late", new JsonObject(), "a-job-that-ended"));
    String jobId = submit(pairs("op", "echo", "value", 1), true);

    assertThat(fixture.awaitTerminal(jobId).getString("event")).isEqualTo("completed");
    assertThat(fixture.events(jobId).get(0).getLong("pid")).as("the same child ran it").isEqualTo(child.pid);
    assertThat(names(fixture.events(jobId))).containsExactly("started", "completed");
  }

  @Test
  void aRealChildsRecordsReachTheJobAndNothingElseDoes(Vertx vertx) throws Exception {
    Path script = Path.of("src/test/resources/children/settings_child.py").toAbsolutePath();
    fixture = PoolFixture.start(vertx, pool("maxIdle", 1)
      .put("child", new JsonObject().put("command", new io.vertx.core.json.JsonArray().add("python3").add(script.toString()))));

    String jobId = submit(pairs("op", "log", "message", "hello from the job"), true);

    assertThat(fixture.awaitTerminal(jobId).getString("event")).isEqualTo("completed");
    // the child also logged outside the job and for another job id: neither is this job's
    assertThat(names(fixture.events(jobId))).containsExactly("started", "log", "completed");
    assertThat(fixture.events(jobId).get(1).getString("message")).isEqualTo("hello from the job");
    assertThat(fixture.events(jobId).get(1).getJsonObject("fields")).isEqualTo(pairs("step", 1));
  }

  @Test
  void theLogLineHasThePidTheJobAndCompactFields() {
    assertThat(ChildLog.recordLine(42, new ChildMessage.Log("info", "loaded {}", new JsonObject().put("rows", 3), "j-1")))
      .isEqualTo("[pid 42 job j-1] loaded {} {\"rows\":3}");
    assertThat(ChildLog.recordLine(42, new ChildMessage.Log("debug", "warm", new JsonObject(), null)))
      .isEqualTo("[pid 42] warm");
    assertThat(ChildLog.recordLine(42, new ChildMessage.Log("warn", "x".repeat(5000), new JsonObject(), 7)))
      .startsWith("[pid 42 job 7] xxx").endsWith("… (5000 chars)");
  }
}
