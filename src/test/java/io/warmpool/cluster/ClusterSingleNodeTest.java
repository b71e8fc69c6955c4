package io.warmpool.cluster;

import io.vertx.core.json.JsonObject;
import io.warmpool.WsClient;
import io.warmpool.bus.Addresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.warmpool.cluster.ClusterNode.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/** A cluster of one node behaves as a standalone worker: same replies, same events, same rejections. */
class ClusterSingleNodeTest {

  private ClusterNode node;

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      ClusterNode.closeAll(List.of(node));
    }
  }

  @Test
  void aClusterOfOneRunsRejectsAndCancelsAsStandalone() throws Exception {
    int port = ClusterNode.freePort();
    node = ClusterNode.start(ClusterNode.uniqueName(), port, port, true, new JsonObject());
    node.load(0.1);
    node.awaitView("warm", node.nodeId, s -> s.getInteger("idle") == 2);

    try (WsClient client = WsClient.connect(node.vertx, node.webPort)) {
      client.submit("r1", new JsonObject().put("op", "echo").put("value", "hi").put("outputs", 1));
      JsonObject accepted = client.reply("r1");
      assertThat(accepted.getString("type")).isEqualTo("accepted");
      assertThat(accepted.getString("nodeId")).isEqualTo(node.nodeId);
      String jobId = accepted.getString("jobId");
      assertThat(client.terminal(jobId).getJsonObject("result").getString("value")).isEqualTo("hi");
      assertThat(client.jobFrames(jobId)).extracting(f -> f.getString("event")).containsExactly("started", "output", "completed");

      client.submit("long", new JsonObject().put("op", "sleep").put("ms", 60_000));
      String longId = client.reply("long").getString("jobId");
      client.event(longId, "started");
      assertThat(node.request(Addresses.DEFAULT.jobsGet(), longId).getString("state")).isEqualTo("running");
      client.send(new JsonObject().put("op", "cancel").put("ref", "c").put("jobId", longId));
      assertThat(client.terminal(longId).getString("event")).isEqualTo("cancelled");

      client.send(new JsonObject().put("op", "cancel").put("ref", "nf").put("jobId", "nobody"));
      assertThat(client.reply("nf").getString("code")).isEqualTo("not-found");

      client.send(new JsonObject().put("op", "submit").put("ref", "bad"));
      assertThat(client.reply("bad").getString("code")).isEqualTo("bad-request");

      client.submit("dup", new JsonObject().put("op", "echo"));
      client.send(new JsonObject().put("op", "submit").put("ref", "dup2").put("jobId", jobId).put("payload", new JsonObject()));
      assertThat(client.reply("dup2").getString("reason")).isEqualTo("duplicate");

      node.load(0.9);
      waitFor("full", () -> "full".equals(node.viewOf(node.nodeId).getString("status")));
      client.submit("r2", new JsonObject().put("op", "echo"));
      JsonObject rejected = client.reply("r2");
      assertThat(rejected.getString("type")).isEqualTo("rejected");
      assertThat(rejected.getString("reason")).isEqualTo("full");
      assertThat(rejected.getDouble("load")).isEqualTo(0.9);
      assertThat(rejected.getDouble("threshold")).isEqualTo(0.75);
    }
  }
}
