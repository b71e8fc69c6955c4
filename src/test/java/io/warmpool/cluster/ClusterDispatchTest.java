package io.warmpool.cluster;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warmpool.WsClient;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.RejectReason;
import io.warmpool.bus.SubmitReplies;
import io.warmpool.bus.Submission;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.warmpool.cluster.ClusterNode.await;
import static io.warmpool.cluster.ClusterNode.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes on 127.0.0.1 in this JVM, each its own clustered Vert.x with a pool of real
 * processes; jobs are submitted at node A (which also has the WebSocket). One cluster for the
 * class: each test starts from equal, idle, warm nodes.
 */
class ClusterDispatchTest {

  private static final List<ClusterNode> nodes = new ArrayList<>();
  private static ClusterNode a;
  private static ClusterNode b;
  private static ClusterNode c;

  @BeforeAll
  static void startCluster() throws Exception {
    String name = ClusterNode.uniqueName();
    int seed = ClusterNode.freePort();
    try {
      a = add(ClusterNode.start(name, seed, seed, true, new JsonObject()));
      b = add(ClusterNode.start(name, 0, seed, false, new JsonObject()));
      c = add(ClusterNode.start(name, 0, seed, false, new JsonObject()));
    } catch (Exception e) {
      ClusterNode.closeAll(nodes);
      throw e;
    }
  }

  private static ClusterNode add(ClusterNode node) {
    nodes.add(node);
    return node;
  }

  @AfterAll
  static void stopCluster() throws Exception {
    ClusterNode.closeAll(nodes);
  }

  /** Every node available at load 0.1, two warm processes, no job, and A sees it so. */
  @BeforeEach
  void equalNodes() throws Exception {
    for (ClusterNode node : nodes) {
      node.load(0.1);
    }
    for (ClusterNode node : nodes) {
      a.awaitView("node " + node.nodeId + " equal, idle and warm", node.nodeId, s -> "available".equals(s.getString("status"))
        && s.getDouble("load") == 0.1 && s.getInteger("idle") == 2 && s.getInteger("activeJobs") == 0);
    }
  }

  private static void full(ClusterNode node) throws Exception {
    node.load(0.9);
    a.awaitView("node " + node.nodeId + " full", node.nodeId, s -> "full".equals(s.getString("status")));
  }

  private static JsonObject echo(Object value) {
    return new JsonObject().put("op", "echo").put("value", value);
  }

  @Test
  void aJobRunsLocallyWhileTheNodeHasAWarmProcess() throws Exception {
    JsonObject reply = a.submit(echo("here"));

    assertThat(reply.getString("type")).isEqualTo("accepted");
    assertThat(reply.getString("nodeId")).isEqualTo(a.nodeId);
    String jobId = reply.getString("jobId");
    assertThat(a.awaitTerminal(jobId).getString("event")).isEqualTo("completed");
    assertThat(a.ranHere).contains(jobId);
  }

  @Test
  void aFullNodeForwardsAndItsClientGetsTheEventsAsForALocalJob() throws Exception {
    full(a);
    try (WsClient client = WsClient.connect(a.vertx, a.webPort)) {
      client.submit("r1", echo("elsewhere").put("outputs", 2));

      JsonObject accepted = client.reply("r1");
      assertThat(accepted.getString("type")).as("reply %s", accepted).isEqualTo("accepted");
      String jobId = accepted.getString("jobId");
      assertThat(accepted.getString("nodeId")).isIn(b.nodeId, c.nodeId);
      JsonObject completed = client.terminal(jobId);
      assertThat(completed.getString("event")).isEqualTo("completed");
      assertThat(completed.getJsonObject("result").getString("value")).isEqualTo("elsewhere");
      assertThat(client.jobFrames(jobId)).extracting(f -> f.getString("event"))
        .containsExactly("started", "output", "output", "completed");
      assertThat(a.ranHere).doesNotContain(jobId);
      ClusterNode runner = accepted.getString("nodeId").equals(b.nodeId) ? b : c;
      assertThat(runner.ranHere).contains(jobId);
    }
  }

  @Test
  void aNodeThatTurnsTheJobDownPassesItOnAndTheSubmitIsAnsweredOnce() throws Exception {
    // A's view has A available with warm processes, so A offers the job to itself first; its pool
    // (stood in for by an interceptor) says it is full since its last state
    String ownPool = Addresses.DEFAULT.onNode(a.nodeId, Addresses.DEFAULT.jobsSubmit());
    Handler<DeliveryContext<Object>> fullPool = ctx -> {
      if (ownPool.equals(ctx.message().address())) {
        ctx.message().reply(SubmitReplies.rejected(RejectReason.FULL, 0.8, 0.75, "full since its last state"));
      } else {
        ctx.next();
      }
    };
    List<String> submitReplyAddresses = new CopyOnWriteArrayList<>();
    List<Object> answers = new CopyOnWriteArrayList<>();
    Handler<DeliveryContext<Object>> answersToSubmits = ctx -> {
      if (Addresses.DEFAULT.jobsSubmit().equals(ctx.message().address()) && ctx.message().replyAddress() != null) {
        submitReplyAddresses.add(ctx.message().replyAddress());
      } else if (submitReplyAddresses.contains(ctx.message().address())) {
        answers.add(ctx.body());
      }
      ctx.next();
    };
    a.vertx.eventBus().addInboundInterceptor(fullPool).addOutboundInterceptor(answersToSubmits);
    try {
      JsonObject reply = a.submit(echo("passed on"));

      assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("accepted");
      assertThat(reply.getString("nodeId")).isIn(b.nodeId, c.nodeId);
      assertThat(a.awaitTerminal(reply.getString("jobId")).getString("event")).isEqualTo("completed");
      assertThat(submitReplyAddresses).hasSize(1);
      assertThat(answers).as("answers to the one submit").containsExactly(reply);
    } finally {
      a.vertx.eventBus().removeInboundInterceptor(fullPool).removeOutboundInterceptor(answersToSubmits);
    }
  }

  @Test
  void aNodeDegradedSinceItsLastStatePassesTheJobOn() throws Exception {
    // A's pool (stood in for by an interceptor) found its processes failing since its last state
    String ownPool = Addresses.DEFAULT.onNode(a.nodeId, Addresses.DEFAULT.jobsSubmit());
    Handler<DeliveryContext<Object>> degradedPool = ctx -> {
      if (ownPool.equals(ctx.message().address())) {
        ctx.message().reply(SubmitReplies.rejected(RejectReason.DEGRADED, 0.1, 0.75, "processes fail to start"));
      } else {
        ctx.next();
      }
    };
    a.vertx.eventBus().addInboundInterceptor(degradedPool);
    try {
      JsonObject reply = a.submit(echo("passed on"));

      assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("accepted");
      assertThat(reply.getString("nodeId")).isIn(b.nodeId, c.nodeId);
      assertThat(a.awaitTerminal(reply.getString("jobId")).getString("event")).isEqualTo("completed");
    } finally {
      a.vertx.eventBus().removeInboundInterceptor(degradedPool);
    }
  }

  @Test
  void aWebSocketSubmissionReachesThePoolAsItIsWithTheIdGivenAtTheWebSocket() throws Exception {
    String ownPool = Addresses.DEFAULT.onNode(a.nodeId, Addresses.DEFAULT.jobsSubmit());
    List<Object> received = new CopyOnWriteArrayList<>();
    Handler<DeliveryContext<Object>> poolInbox = ctx -> {
      if (ownPool.equals(ctx.message().address())) {
        received.add(ctx.message().body());
      }
      ctx.next();
    };
    a.vertx.eventBus().addInboundInterceptor(poolInbox);
    try (WsClient client = WsClient.connect(a.vertx, a.webPort)) {
      client.submit("r1", echo("typed"));

      JsonObject accepted = client.reply("r1");
      assertThat(accepted.getString("nodeId")).as("reply %s", accepted).isEqualTo(a.nodeId);
      String jobId = accepted.getString("jobId");
      assertThat(received).singleElement().isInstanceOfSatisfying(Submission.class,
        submission -> assertThat(submission.jobId()).isEqualTo(jobId));
      assertThat(client.terminal(jobId).getString("event")).isEqualTo("completed");
    } finally {
      a.vertx.eventBus().removeInboundInterceptor(poolInbox);
    }
  }

  @Test
  void aForwardedSubmissionKeepsTheIdGivenWhereItEntered() throws Exception {
    full(a);
    List<Object> received = new CopyOnWriteArrayList<>();
    List<Runnable> removals = new ArrayList<>();
    for (ClusterNode node : List.of(b, c)) {
      String pool = Addresses.DEFAULT.onNode(node.nodeId, Addresses.DEFAULT.jobsSubmit());
      Handler<DeliveryContext<Object>> poolInbox = ctx -> {
        if (pool.equals(ctx.message().address())) {
          received.add(ctx.message().body());
        }
        ctx.next();
      };
      node.vertx.eventBus().addInboundInterceptor(poolInbox);
      removals.add(() -> node.vertx.eventBus().removeInboundInterceptor(poolInbox));
    }
    try (WsClient client = WsClient.connect(a.vertx, a.webPort)) {
      client.submit("r1", echo("forwarded"));

      JsonObject accepted = client.reply("r1");
      assertThat(accepted.getString("nodeId")).as("reply %s", accepted).isIn(b.nodeId, c.nodeId);
      String jobId = accepted.getString("jobId");
      // another node reads the JSON form once, and keeps the id
      assertThat(received).singleElement().isInstanceOfSatisfying(JsonObject.class,
        json -> assertThat(json.getString("jobId")).isEqualTo(jobId));
      assertThat(client.terminal(jobId).getString("event")).isEqualTo("completed");
    } finally {
      removals.forEach(Runnable::run);
    }
  }

  @Test
  void theNodeWithMostHeadroomGetsTheJob() throws Exception {
    full(a);
    b.load(0.5);
    a.awaitView("b at 0.5", b.nodeId, s -> s.getDouble("load") == 0.5);

    JsonObject reply = a.submit(echo(1));

    assertThat(reply.getString("nodeId")).as("c has the lower load").isEqualTo(c.nodeId);
    a.awaitTerminal(reply.getString("jobId"));
  }

  @Test
  void aHundredJobsAtOneNodeSpreadOverEqualNodes() throws Exception {
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      replies.add(a.submitAsync(new JsonObject().put("op", "sleep").put("ms", 20)));
    }
    await(Future.all(replies));
    List<String> jobIds = new ArrayList<>();
    for (Future<JsonObject> reply : replies) {
      assertThat(reply.result().getString("type")).as("reply %s", reply.result()).isEqualTo("accepted");
      jobIds.add(reply.result().getString("jobId"));
    }
    for (String jobId : jobIds) {
      assertThat(a.awaitTerminal(jobId).getString("event")).isEqualTo("completed");
    }

    Map<String, Long> perNode = replies.stream().map(r -> r.result().getString("nodeId"))
      .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    System.out.println("100 jobs at A ran: A " + perNode.get(a.nodeId) + ", B " + perNode.get(b.nodeId) + ", C " + perNode.get(c.nodeId));
    assertThat(perNode).as("jobs per node").containsOnlyKeys(a.nodeId, b.nodeId, c.nodeId);
    assertThat(perNode.values()).allSatisfy(count -> assertThat(count).isBetween(1L, 50L));
    // where each job said it ran is where its pool started it
    for (ClusterNode node : nodes) {
      assertThat(node.ranHere.stream().filter(jobIds::contains).count()).isEqualTo(perNode.get(node.nodeId));
    }
  }

  @Test
  void everyNodeFullIsRejectedFull() throws Exception {
    for (ClusterNode node : nodes) {
      full(node);
    }

    JsonObject reply = a.submit(echo(1));

    assertThat(reply.getString("type")).isEqualTo("rejected");
    assertThat(reply.getString("reason")).isEqualTo("full");
    assertThat(reply.getDouble("threshold")).isEqualTo(0.75);
    assertThat(reply.getDouble("load")).isEqualTo(0.9);
  }

  @Test
  void getAndCancelOfAForwardedJobReachTheNodeRunningIt() throws Exception {
    full(a);
    JsonObject reply = a.submit(new JsonObject().put("op", "sleep").put("ms", 60_000));
    String jobId = reply.getString("jobId");
    ClusterNode runner = reply.getString("nodeId").equals(b.nodeId) ? b : c;
    waitFor("started", () -> runner.ranHere.contains(jobId));

    assertThat(a.request(Addresses.DEFAULT.jobsGet(), jobId).getString("state")).isEqualTo("running");
    // another node that never saw the job finds it too
    ClusterNode other = runner == b ? c : b;
    assertThat(other.request(Addresses.DEFAULT.jobsGet(), jobId).getString("jobId")).isEqualTo(jobId);

    a.request(Addresses.DEFAULT.jobsCancel(), jobId);

    assertThat(a.awaitTerminal(jobId).getString("event")).isEqualTo("cancelled");
    assertThat(a.events(jobId).stream().filter(e -> "cancelled".equals(e.getString("event")))).hasSize(1);
    assertThat(a.view().getInteger("forwardedJobs")).isZero();
  }

  @Test
  void workerInfoShowsEveryNodeWithItsAge() throws Exception {
    HttpClient http = a.vertx.createHttpClient();
    try {
      // built on a context, not this thread: a body() attached after the response ended never completes
      Promise<Buffer> body = Promise.promise();
      a.vertx.getOrCreateContext().runOnContext(v -> http.request(io.vertx.core.http.HttpMethod.GET, a.webPort, "127.0.0.1", "/worker")
        .compose(req -> req.send()).compose(resp -> resp.body()).onComplete(body));
      JsonObject info = await(body.future()).toJsonObject();

      assertThat(info.getString("status")).isEqualTo("available");
      JsonObject cluster = info.getJsonObject("cluster");
      assertThat(cluster.getString("nodeId")).isEqualTo(a.nodeId);
      JsonArray view = cluster.getJsonArray("nodes");
      assertThat(view).hasSize(3);
      JsonObject first = view.getJsonObject(0);
      assertThat(first.getString("nodeId")).isEqualTo(a.nodeId);
      assertThat(first.getBoolean("self")).isTrue();
      assertThat(first.getString("url")).isEqualTo("http://127.0.0.1:" + a.webPort);
      for (Object node : view) {
        JsonObject n = (JsonObject) node;
        assertThat(n.fieldNames()).contains("status", "load", "effectiveLoad", "idle", "capacity", "ageMs");
        assertThat(n.getLong("ageMs")).isBetween(0L, ClusterVerticle.STALE_AFTER_MS);
      }
    } finally {
      await(http.close());
    }
  }
}
