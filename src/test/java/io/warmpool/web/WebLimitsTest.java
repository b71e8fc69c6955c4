package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What bounds a client: connections, jobs per connection, origins, and a client that stops reading. */
@ExtendWith(VertxExtension.class)
class WebLimitsTest {

  private WebFixture worker;

  @AfterEach
  void close() throws Exception {
    if (worker != null) {
      worker.close();
    }
  }

  private static JsonObject submit(String ref, JsonObject payload) {
    return new JsonObject().put("op", "submit").put("ref", ref).put("payload", payload);
  }

  @Test
  void aConnectionCannotHoldMoreUnfinishedJobsThanItsLimit(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject().put("maxJobsPerConnection", 2))
      .put("pool", new JsonObject().put("maxIdle", 2)));
    WsClient client = worker.client();
    JsonObject sleep = new JsonObject().put("op", "sleep").put("ms", 60_000);

    client.send(submit("a", sleep));
    client.send(submit("b", sleep));
    client.send(submit("c", sleep));

    assertThat(client.reply("a").getString("type")).isEqualTo("accepted");
    assertThat(client.reply("b").getString("type")).isEqualTo("accepted");
    JsonObject third = client.reply("c");
    assertThat(third.getString("reason")).isEqualTo("capacity");
    assertThat(third.getString("message")).contains("web.maxJobsPerConnection");

    // another connection has its own budget, and an ended job frees a place
    WsClient other = worker.client();
    other.send(submit("d", new JsonObject().put("op", "echo")));
    assertThat(other.reply("d").getString("type")).isEqualTo("accepted");
    String first = client.reply("a").getString("jobId");
    client.send(new JsonObject().put("op", "cancel").put("ref", "x").put("jobId", first));
    client.terminal(first);
    client.send(submit("e", new JsonObject().put("op", "echo")));
    assertThat(client.reply("e").getString("type")).isEqualTo("accepted");
    client.send(new JsonObject().put("op", "cancel").put("ref", "y").put("jobId", client.reply("b").getString("jobId")));
  }

  @Test
  void connectionsBeyondTheLimitAreRefused(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject().put("maxConnections", 2)));
    worker.client();
    worker.client();

    assertThatThrownBy(() -> worker.client())
      .isInstanceOf(ExecutionException.class)
      .cause().isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(503));
  }

  @Test
  void onlyListedOriginsAndTheWorkersOwnMayOpenAWebSocket(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject()
      .put("allowedOrigins", new JsonArray(List.of("https://ops.example.com")))));

    assertThat(worker.upgradeStatus("https://evil.example.net")).isEqualTo(403);
    assertThat(worker.upgradeStatus("https://ops.example.com")).isEqualTo(101);
    // the dashboard the worker serves keeps working
    assertThat(worker.upgradeStatus("http://" + worker.ownHost())).isEqualTo(101);
    // no Origin: not a browser (a browser cannot leave it out), so not subject to the list
    assertThat(worker.upgradeStatus(null)).isEqualTo(101);
  }

  /**
   * A client that stops reading while frames keep coming: the worker drops output frames for it
   * instead of queueing them without bound, and still delivers the job's terminal event.
   */
  @Test
  void aStalledReaderIsNotQueuedWithoutBoundAndStillGetsTheTerminalEvent(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());
    WsClient client = worker.client();
    client.ws.pause();
    String value = "x".repeat(5000);
    client.send(submit("flood", new JsonObject().put("op", "echo").put("value", value).put("outputs", 10_000)));

    WebFixture.waitFor("frames dropped for the stalled client", () -> worker.metric("warmpool.ws.dropped.frames") > 0);
    client.ws.resume();

    String jobId = client.reply("flood").getString("jobId");
    assertThat(client.terminal(jobId).getString("event")).isEqualTo("completed");
    long outputs = client.jobFrames(jobId).stream().filter(f -> "output".equals(f.getString("event"))).count();
    assertThat(outputs).isLessThan(10_000);
  }
}
