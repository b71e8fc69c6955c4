package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker whose children fail to start, seen from outside over real HTTP and WebSocket on
 * 127.0.0.1: {@code /health} answers 503 {@code degraded}, a submission is rejected
 * {@code degraded}, and once the children start again the worker is healthy and runs jobs.
 */
@ExtendWith(VertxExtension.class)
class HealthDegradedTest {

  private WebFixture worker;

  @AfterEach
  void close() throws Exception {
    if (worker != null) {
      worker.close();
    }
  }

  private static JsonObject echo(Object value) {
    return new JsonObject().put("op", "echo").put("value", value);
  }

  @Test
  void childrenThatFailToStartTurnHealth503AndJobsAwayUntilTheyStartAgain(Vertx vertx, @TempDir Path dir) throws Exception {
    // the Python echo child, once the file exists; until then the process exits 1 before it is ready
    Path mayStart = dir.resolve("children-may-start");
    Path child = Path.of("src/test/resources/children/echo_child.py").toAbsolutePath();
    worker = new WebFixture(vertx, new JsonObject().put("child", new JsonObject().put("command", new JsonArray()
      .add("sh").add("-c").add("test -e \"$0\" || exit 1; exec python3 \"$1\"").add(mayStart.toString()).add(child.toString()))));

    WebFixture.waitFor("/health to answer 503", () -> worker.get("/health", null).status() == 503);
    WebFixture.Response health = worker.get("/health", null);
    assertThat(health.status()).isEqualTo(503);
    assertThat(health.json().getString("status")).isEqualTo("degraded");
    JsonObject info = worker.get("/worker", null).json();
    assertThat(info.getBoolean("degraded")).isTrue();
    assertThat(info.getJsonObject("spawn").getString("lastInitError")).contains("code 1");

    WsClient client = worker.client();
    client.submit("r1", echo("turned away"));
    JsonObject rejected = client.reply("r1");
    assertThat(rejected.getString("type")).as("reply %s", rejected).isEqualTo("rejected");
    assertThat(rejected.getString("reason")).isEqualTo("degraded");
    assertThat(rejected.getString("message")).contains("code 1");
    // the status /health answers, as the series an alert on a degraded worker reads: the gauge
    // follows the pool's published state, which may come a moment after /health saw it
    WebFixture.waitFor("warmpool_status to follow", () -> worker.get("/metrics", null).body()
      .contains("warmpool_status{pool=\"warmpool\",status=\"degraded\"} 1.0"));
    assertThat(worker.get("/metrics", null).body()).contains("warmpool_status{pool=\"warmpool\",status=\"available\"} 0.0",
      "warmpool_ws_rejected_total{pool=\"warmpool\",reason=\"degraded\"} 1.0");

    Files.createFile(mayStart);

    WebFixture.waitFor("/health to answer 200", () -> worker.get("/health", null).status() == 200);
    assertThat(worker.get("/health", null).json().getString("status")).isEqualTo("available");
    assertThat(worker.get("/worker", null).json().getBoolean("degraded")).isFalse();
    WebFixture.waitFor("warmpool_status to follow", () -> worker.get("/metrics", null).body()
      .contains("warmpool_status{pool=\"warmpool\",status=\"available\"} 1.0"));
    assertThat(worker.get("/metrics", null).body()).contains("warmpool_status{pool=\"warmpool\",status=\"degraded\"} 0.0");
    client.submit("r2", echo("back"));
    JsonObject accepted = client.reply("r2");
    assertThat(accepted.getString("type")).as("reply %s", accepted).isEqualTo("accepted");
    JsonObject done = client.terminal(accepted.getString("jobId"));
    assertThat(done.getString("event")).isEqualTo("completed");
    assertThat(done.getJsonObject("result").getString("value")).isEqualTo("back");
  }
}
