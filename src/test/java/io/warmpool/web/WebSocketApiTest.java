package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.Await;
import io.warmpool.TestChildren;
import io.warmpool.WsClient;
import io.warmpool.bus.Addresses;
import io.warmpool.pool.TestEntrypoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.stream.LongStream;

import static io.warmpool.web.WebFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The WebSocket contract of docs/websocket.md, with a real client on 127.0.0.1. */
@ExtendWith(VertxExtension.class)
class WebSocketApiTest {

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

  private static JsonObject echo(Object value) {
    return new JsonObject().put("op", "echo").put("value", value);
  }

  private static JsonObject sleep(long ms) {
    return new JsonObject().put("op", "sleep").put("ms", ms);
  }

  @Test
  void aJobRunsFromSubmitToCompleted(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());
    WsClient client = worker.client();

    client.send(submit("r1", new JsonObject().put("op", "echo").put("value", "hi").put("outputs", 2)));

    JsonObject accepted = client.reply("r1");
    assertThat(accepted.getString("type")).isEqualTo("accepted");
    String jobId = accepted.getString("jobId");
    JsonObject completed = client.terminal(jobId);
    assertThat(completed.getJsonObject("result").getString("value")).isEqualTo("hi");
    assertThat(client.jobFrames(jobId)).extracting(f -> f.getString("event"))
      .containsExactly("started", "output", "output", "completed");
    assertThat(client.jobFrames(jobId).get(0).getLong("pid")).isPositive();
  }

  @Test
  void badFramesGetTheirErrorCodeAndTheConnectionStaysOpen(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());
    WsClient client = worker.client();

    client.sendText("{not json");
    assertThat(client.awaitFrame("bad-json", f -> "bad-json".equals(f.getString("code"))).getString("type")).isEqualTo("error");

    client.send(new JsonObject().put("op", "submit").put("ref", "no-payload"));
    JsonObject badRequest = client.reply("no-payload");
    assertThat(badRequest.getString("code")).isEqualTo("bad-request");
    assertThat(badRequest.getString("message")).contains("payload");

    client.send(new JsonObject().put("op", "fly").put("ref", "op"));
    assertThat(client.reply("op").getString("code")).isEqualTo("unknown-op");

    client.send(new JsonObject().put("op", "cancel").put("ref", "nf").put("jobId", "nobody"));
    assertThat(client.reply("nf").getString("code")).isEqualTo("not-found");

    client.send(new JsonObject().put("op", "watch").put("ref", "no-id"));
    assertThat(client.reply("no-id").getString("message")).contains("jobId");

    client.send(new JsonObject().put("op", "subscribe").put("ref", "topic").put("topic", "weather"));
    assertThat(client.reply("topic").getString("code")).isEqualTo("bad-request");

    client.send(submit("after", echo("still open")));
    assertThat(client.reply("after").getString("type")).isEqualTo("accepted");
    assertThat(client.closed).isFalse();
  }

  @Test
  void anOversizeFrameIsRefusedWithTooLargeAndTheConnectionStaysOpen(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject().put("maxFrameBytes", 4096)));
    WsClient client = worker.client();

    client.send(submit("big", echo("x".repeat(10_000))));

    assertThat(client.awaitFrame("too-large", f -> "too-large".equals(f.getString("code"))).getString("message"))
      .contains("4096");
    client.send(submit("small", echo("fits")));
    assertThat(client.reply("small").getString("type")).isEqualTo("accepted");
  }

  @Test
  void aClientThatReconnectsAndWatchesGetsTheOutcome(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());
    WsClient first = worker.client();
    first.send(submit("r", sleep(300)));
    String jobId = first.reply("r").getString("jobId");
    first.close();

    WsClient second = worker.client();
    second.send(new JsonObject().put("op", "watch").put("ref", "w").put("jobId", jobId));

    assertThat(second.reply("w").getString("type")).isEqualTo("watching");
    assertThat(second.terminal(jobId).getString("event")).isEqualTo("completed");

    // and once more after the end: the kept events again, the terminal one exactly once
    WsClient third = worker.client();
    third.send(new JsonObject().put("op", "watch").put("ref", "late").put("jobId", jobId));
    assertThat(third.terminal(jobId).getString("event")).isEqualTo("completed");
    assertThat(third.reply("late").getJsonObject("job").getString("state")).isEqualTo("completed");
    assertThat(third.jobFrames(jobId)).extracting(f -> f.getString("event")).containsExactly("started", "completed");
  }

  @Test
  void aClientThatWatchesFromTheLastSeqItSawGetsEveryEventItMissedOnceAndInOrder(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("child", new JsonObject()
      .put("entrypoint", TestEntrypoints.Ticker.class.getName())
      .put("classpath", new JsonArray().add(TestChildren.testClasses()))));
    WsClient first = worker.client();
    first.submit("t", new JsonObject().put("ticks", 12).put("everyMs", 100));
    String jobId = first.reply("t").getString("jobId");
    JsonObject seen = first.awaitFrame("the second tick", f -> "job".equals(f.getString("type"))
      && "output".equals(f.getString("event")) && f.getJsonObject("data").getInteger("tick") == 1);
    long lastSeen = seen.getLong("seq");
    first.close();

    // away while the job goes on ticking: reconnect once several more events exist
    Await.waitFor("ticks while the client is away", () -> lastSeq(vertx, jobId) >= lastSeen + 4);
    WsClient second = worker.client();
    second.send(new JsonObject().put("op", "watch").put("ref", "w").put("jobId", jobId).put("fromSeq", lastSeen));

    JsonObject terminal = second.terminal(jobId);
    assertThat(terminal.getJsonObject("result").getInteger("ticks")).isEqualTo(12);
    assertThat(second.reply("w").getLong("missedEvents")).isZero();
    List<Long> seqs = second.jobFrames(jobId).stream().map(f -> f.getLong("seq")).toList();
    assertThat(seqs).as("every event after %d, once, in order", lastSeen)
      .isEqualTo(LongStream.rangeClosed(lastSeen + 1, terminal.getLong("seq")).boxed().toList());
  }

  private static long lastSeq(Vertx vertx, String jobId) throws Exception {
    return await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsGet(), new JsonObject().put("jobId", jobId)))
      .body().getLong("lastSeq");
  }

  @Test
  void runningAndQueuedJobsCanBeCancelled(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("pool", new JsonObject().put("maxIdle", 0).put("maxProcesses", 1)));
    WsClient client = worker.client();
    client.send(submit("run", sleep(60_000)));
    String running = client.reply("run").getString("jobId");
    client.awaitFrame("started", f -> running.equals(f.getString("jobId")) && "started".equals(f.getString("event")));
    client.send(submit("queue", echo(1)));
    String queued = client.reply("queue").getString("jobId");

    client.send(new JsonObject().put("op", "cancel").put("ref", "c1").put("jobId", queued));
    client.send(new JsonObject().put("op", "cancel").put("ref", "c2").put("jobId", running));

    assertThat(client.terminal(queued).getString("event")).isEqualTo("cancelled");
    assertThat(client.terminal(running).getString("event")).isEqualTo("cancelled");
    assertThat(client.jobFrames(queued)).hasSize(1);
  }

  @Test
  void logEventsGoOnlyToJobsSubmittedWithLogs(Vertx vertx) throws Exception {
    // a child that sends log records: the demo entrypoint has no such op
    String script = java.nio.file.Path.of("src/test/resources/children/settings_child.py").toAbsolutePath().toString();
    worker = new WebFixture(vertx, new JsonObject().put("child",
      new JsonObject().put("command", new io.vertx.core.json.JsonArray().add("python3").add(script))));
    WsClient client = worker.client();
    JsonObject logs = new JsonObject().put("op", "log").put("message", "hello from the job");

    client.send(submit("with", logs).put("logs", true));
    client.send(submit("without", logs.copy()));
    String with = client.reply("with").getString("jobId");
    String without = client.reply("without").getString("jobId");

    client.terminal(with);
    client.terminal(without);
    assertThat(client.jobFrames(with)).extracting(f -> f.getString("event")).containsExactly("started", "log", "completed");
    JsonObject log = client.jobFrames(with).get(1);
    assertThat(log.getString("level")).isEqualTo("info");
    assertThat(log.getString("message")).isEqualTo("hello from the job");
    assertThat(log.getJsonObject("fields")).isEqualTo(new JsonObject().put("step", 1));
    assertThat(client.jobFrames(without)).extracting(f -> f.getString("event")).containsExactly("started", "completed");
  }

  @Test
  void logsThatAreNotABooleanAreABadRequest(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());
    WsClient client = worker.client();

    client.send(submit("bad", echo(1)).put("logs", "yes"));

    JsonObject reply = client.reply("bad");
    assertThat(reply.getString("code")).isEqualTo("bad-request");
    assertThat(reply.getString("message")).isEqualTo("logs must be true or false");
  }

  @Test
  void aDuplicateJobIdIsRejected(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());
    WsClient client = worker.client();
    client.send(submit("a", echo(1)).put("jobId", "same"));
    client.send(submit("b", echo(2)).put("jobId", "same"));

    assertThat(client.reply("a").getString("type")).isEqualTo("accepted");
    JsonObject rejected = client.reply("b");
    assertThat(rejected.getString("type")).isEqualTo("rejected");
    assertThat(rejected.getString("reason")).isEqualTo("duplicate");
    assertThat(client.terminal("same").getString("event")).isEqualTo("completed");
    assertThat(client.jobFrames("same").stream().filter(f -> "completed".equals(f.getString("event")))).hasSize(1);
  }

  @Test
  void poolStateIsStreamedToSubscribersUntilTheyUnsubscribe(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("pool", new JsonObject().put("maxIdle", 2)));
    WsClient client = worker.client();

    client.send(new JsonObject().put("op", "subscribe").put("ref", "s").put("topic", "pool"));
    JsonObject first = client.reply("s");
    assertThat(first.getString("type")).isEqualTo("state");
    assertThat(first.getJsonObject("pool").getInteger("maxIdle")).isEqualTo(2);
    client.awaitFrame("2 idle", f -> "state".equals(f.getString("type")) && f.getJsonObject("pool").getInteger("idle") == 2);

    client.send(new JsonObject().put("op", "unsubscribe").put("ref", "u").put("topic", "pool"));
    assertThat(client.reply("u").getString("type")).isEqualTo("unsubscribed");
    int statesBefore = stateCount(client);
    worker.load(0.9);
    waitForFull(vertx);
    client.send(new JsonObject().put("op", "nothing").put("ref", "probe"));
    client.reply("probe");

    assertThat(stateCount(client)).isEqualTo(statesBefore);
  }

  private static int stateCount(WsClient client) {
    return (int) client.frames.stream().filter(f -> "state".equals(f.getString("type"))).count();
  }

  private static void waitForFull(Vertx vertx) throws Exception {
    WebFixture.waitFor("status full", () -> "full".equals(await(vertx.eventBus()
      .<JsonObject>request(Addresses.DEFAULT.workerInfo(), null)).body().getString("status")));
  }

  @Test
  void aFullWorkerRejectsWithLoadAndThreshold(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());
    worker.load(0.9);
    waitForFull(vertx);
    WsClient client = worker.client();
    // there at 0 before the first one: rate() sees the first rejection only if the series was
    assertThat(worker.get("/metrics", null).body()).contains("warmpool_ws_rejected_total{pool=\"warmpool\",reason=\"full\"} 0.0",
      "warmpool_ws_rejected_total{pool=\"warmpool\",reason=\"draining\"} 0.0");

    client.send(submit("r", echo(1)));

    JsonObject rejected = client.reply("r");
    assertThat(rejected.getString("reason")).isEqualTo("full");
    assertThat(rejected.getDouble("load")).isEqualTo(0.9);
    assertThat(rejected.getDouble("threshold")).isEqualTo(0.75);
    // what an alert on rejections and a dashboard's "rejections by reason" read
    String metrics = worker.get("/metrics", null).body();
    assertThat(metrics).contains("warmpool_ws_rejected_total{pool=\"warmpool\",reason=\"full\"} 1.0",
      "warmpool_status{pool=\"warmpool\",status=\"full\"} 1.0", "warmpool_status{pool=\"warmpool\",status=\"available\"} 0.0");
  }

  @Test
  void aDrainingWorkerRejectsAndHealthTurns503(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());
    WsClient client = worker.client();
    client.send(submit("long", sleep(1000)));
    String jobId = client.reply("long").getString("jobId");
    client.awaitFrame("started", f -> jobId.equals(f.getString("jobId")) && "started".equals(f.getString("event")));

    var drained = vertx.eventBus().request(Addresses.DEFAULT.workerDrain(), null);
    WebFixture.waitFor("draining", () -> worker.get("/health", null).status() == 503);
    client.send(submit("late", echo(1)));

    assertThat(client.reply("late").getString("reason")).isEqualTo("draining");
    assertThat(worker.get("/health", null).json().getString("status")).isEqualTo("draining");
    assertThat(client.terminal(jobId).getString("event")).as("a running job finishes during the drain").isEqualTo("completed");
    await(drained);
  }

  @Test
  void withATokenEveryEndpointButHealthNeedsIt(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject().put("token", "s3cret-t0ken-0123")));

    assertThat(worker.get("/health", null).status()).isEqualTo(200);
    assertThat(worker.get("/worker", null).status()).isEqualTo(401);
    assertThat(worker.get("/metrics", null).status()).isEqualTo(401);
    assertThat(worker.get("/worker", "wrong").status()).isEqualTo(401);
    assertThat(worker.get("/worker", "s3cret-t0ken-0123").status()).isEqualTo(200);
    assertThat(worker.get("/worker?token=s3cret-t0ken-0123", null).status()).isEqualTo(200);

    WsClient intruder = worker.client();
    assertThat(intruder.awaitFrame("unauthorized", f -> "unauthorized".equals(f.getString("code"))).getString("type"))
      .isEqualTo("error");
    WebFixture.waitFor("the intruder's socket to close", () -> intruder.closed);

    WsClient byHeader = worker.client("/ws", "s3cret-t0ken-0123");
    byHeader.send(submit("h", echo(1)));
    assertThat(byHeader.reply("h").getString("type")).isEqualTo("accepted");
    WsClient byQuery = worker.client("/ws?token=s3cret-t0ken-0123", null);
    byQuery.send(submit("q", echo(1)));
    assertThat(byQuery.reply("q").getString("type")).isEqualTo("accepted");
  }

  @Test
  void withoutATokenEverythingIsOpen(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());

    assertThat(worker.get("/worker", null).status()).isEqualTo(200);
    WebFixture.Response metrics = worker.get("/metrics", null);
    assertThat(metrics.status()).isEqualTo(200);
    // every series of the pool carries its name (bus.prefix): pools sharing a registry stay apart
    assertThat(metrics.body()).contains("warmpool_processes{pool=\"warmpool\",state=\"idle\"}", "warmpool_target_idle{pool=\"warmpool\"}",
      "warmpool_load", "warmpool_jobs_total", "warmpool_job_start_seconds", "warmpool_utilization",
      "warmpool_max_processes_reached_total", "warmpool_spawns_total{cause=\"target\",pool=\"warmpool\"}",
      "warmpool_ws_connections{pool=\"warmpool\"}");
  }

  @Test
  void everyAcceptedJobOfManyConcurrentConnectionsGetsExactlyOneTerminalEvent(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject()
      .put("pool", new JsonObject().put("maxIdle", 4).put("maxProcesses", 16).put("maxJobsPerProcess", 100_000)));
    WebFixture.waitFor("4 idle", () -> WebFixture.await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.workerInfo(), null))
      .body().getJsonObject("pool").getInteger("idle") == 4);
    int connections = 500;
    List<WsClient> clients = new java.util.ArrayList<>();
    for (int i = 0; i < connections; i++) {
      clients.add(worker.client());
    }
    for (int i = 0; i < connections; i++) {
      clients.get(i).send(submit("r" + i, echo(i)));
    }

    int accepted = 0;
    for (int i = 0; i < connections; i++) {
      WsClient client = clients.get(i);
      JsonObject reply = client.reply("r" + i);
      if ("accepted".equals(reply.getString("type"))) {
        accepted++;
        String jobId = reply.getString("jobId");
        client.terminal(jobId);
        assertThat(client.jobFrames(jobId).stream().filter(f -> List.of("completed", "failed", "cancelled")
          .contains(f.getString("event")))).as("terminal events of %s", jobId).hasSize(1);
      } else {
        assertThat(reply.getString("reason")).isIn("capacity", "full");
      }
    }
    // how many fit depends on how fast this machine drains the queue; every one that did must end once
    assertThat(accepted).isPositive();
  }
}
