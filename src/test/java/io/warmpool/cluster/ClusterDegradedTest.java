package io.warmpool.cluster;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Addresses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on 127.0.0.1 in this JVM: A's children exit before they are ready (command
 * {@code false}), so A is degraded, near load 0 with nothing running; B is healthy. Jobs
 * submitted at A go to B, and when B cannot take them A's own pool answers {@code degraded}.
 */
class ClusterDegradedTest {

  private static final List<ClusterNode> nodes = new ArrayList<>();
  private static ClusterNode a;
  private static ClusterNode b;

  @BeforeAll
  static void startCluster() throws Exception {
    String name = ClusterNode.uniqueName();
    int seed = ClusterNode.freePort();
    try {
      JsonObject failingChildren = new JsonObject().put("child", new JsonObject().put("command", new JsonArray().add("false")));
      nodes.add(a = ClusterNode.start(name, seed, seed, false, failingChildren));
      nodes.add(b = ClusterNode.start(name, 0, seed, false, new JsonObject()));
    } catch (Exception e) {
      ClusterNode.closeAll(nodes);
      throw e;
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    ClusterNode.closeAll(nodes);
  }

  /** A degraded at load 0 and B available at 0.3, as each node's view of the other says. */
  @BeforeEach
  void aDegradedBHealthy() throws Exception {
    a.load(0.0);
    b.load(0.3);
    for (ClusterNode node : nodes) {
      node.awaitView("A degraded at load 0", a.nodeId, s -> s.getBoolean("degraded") && s.getDouble("load") == 0.0);
      node.awaitView("B healthy at load 0.3", b.nodeId, s -> !s.getBoolean("degraded") && s.getDouble("load") == 0.3
        && "available".equals(s.getString("status")) && s.getInteger("idle") > 0);
    }
  }

  @Test
  void aJobSubmittedAtADegradedNodeRunsOnAHealthyOneThoughItHasMoreHeadroom() throws Exception {
    // A's own pool would turn the job down and the dispatcher pass it on: dispatch must not ask it at all
    String ownPool = Addresses.DEFAULT.onNode(a.nodeId, Addresses.DEFAULT.jobsSubmit());
    List<Object> askedHere = new CopyOnWriteArrayList<>();
    Handler<DeliveryContext<Object>> poolInbox = ctx -> {
      if (ownPool.equals(ctx.message().address())) {
        askedHere.add(ctx.message().body());
      }
      ctx.next();
    };
    a.vertx.eventBus().addInboundInterceptor(poolInbox);
    try {
      JsonObject reply = a.submit(new JsonObject().put("op", "echo").put("value", "elsewhere"));

      assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("accepted");
      assertThat(reply.getString("nodeId")).isEqualTo(b.nodeId);
      assertThat(askedHere).as("submissions offered to A's own pool").isEmpty();
      String jobId = reply.getString("jobId");
      assertThat(a.awaitTerminal(jobId).getString("event")).isEqualTo("completed");
      assertThat(b.ranHere).contains(jobId);
    } finally {
      a.vertx.eventBus().removeInboundInterceptor(poolInbox);
    }
  }

  @Test
  void whenNoHealthyNodeCanTakeTheJobTheDegradedNodeAnswersWithItsOwnError() throws Exception {
    b.load(0.9);
    a.awaitView("B full", b.nodeId, s -> "full".equals(s.getString("status")));

    JsonObject reply = a.submit(new JsonObject().put("op", "echo"));

    assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("rejected");
    assertThat(reply.getString("reason")).isEqualTo("degraded");
    assertThat(reply.getString("message")).contains("code 1");
  }
}
