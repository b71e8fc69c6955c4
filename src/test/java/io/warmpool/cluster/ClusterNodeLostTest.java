package io.warmpool.cluster;

import io.vertx.core.json.JsonObject;
import io.warmpool.WsClient;
import io.warmpool.bus.JobEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.warmpool.cluster.ClusterNode.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node killed with SIGKILL while it runs a job for a client of another node. The victim is a
 * worker of its own ({@code io.warmpool.Main} in a separate JVM, configured by environment), the
 * survivors are nodes in this JVM.
 */
class ClusterNodeLostTest {

  private final List<ClusterNode> nodes = new ArrayList<>();
  private Process victim;
  private Path victimLog;

  @AfterEach
  void stop() throws Exception {
    try {
      if (victim != null && victim.isAlive()) {
        victim.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      if (victim != null) {
        // its children notice it is gone and exit on their own
        waitFor("the victim's children to exit", () -> victim.descendants().noneMatch(ProcessHandle::isAlive));
      }
    } finally {
      ClusterNode.closeAll(nodes);
      if (victimLog != null) {
        Files.deleteIfExists(victimLog);
      }
    }
  }

  private Process startVictim(String clusterName, int seedPort) throws Exception {
    victimLog = Files.createTempFile("warmpool-victim", ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-cp", System.getProperty("java.class.path"), "io.warmpool.Main")
      .redirectErrorStream(true)
      .redirectOutput(victimLog.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("WARMPOOL_"));
    env.put("WARMPOOL_CLUSTER_ENABLED", "true");
    env.put("WARMPOOL_CLUSTER_NAME", clusterName);
    env.put("WARMPOOL_CLUSTER_PORT", "0");
    env.put("WARMPOOL_CLUSTER_MEMBERS", "[\"127.0.0.1:" + seedPort + "\"]");
    env.put("WARMPOOL_WEB_PORT", "0");
    env.put("WARMPOOL_LOAD_SOURCE", "external");
    env.put("WARMPOOL_POOL_MAXIDLE", "1");
    env.put("WARMPOOL_POOL_MAXPROCESSES", "4");
    return builder.start();
  }

  private String victimOutput() throws Exception {
    return victimLog == null ? "" : Files.readString(victimLog);
  }

  @Test
  void aKilledNodesJobsEndNodeLostAndLaterJobsGoToTheSurvivors() throws Exception {
    String name = ClusterNode.uniqueName();
    int seed = ClusterNode.freePort();
    ClusterNode a = ClusterNode.start(name, seed, seed, true, new JsonObject());
    nodes.add(a);
    ClusterNode b = ClusterNode.start(name, 0, seed, false, new JsonObject());
    nodes.add(b);
    victim = startVictim(name, seed);

    String[] victimId = new String[1];
    try {
      waitFor("the victim node in A's view, available with a warm process", () -> {
        for (Object node : a.view().getJsonArray("nodes")) {
          JsonObject state = (JsonObject) node;
          String id = state.getString("nodeId");
          if (!id.equals(a.nodeId) && !id.equals(b.nodeId) && "available".equals(state.getString("status"))
            && state.getInteger("idle") >= 1) {
            victimId[0] = id;
            return true;
          }
        }
        assertThat(victim.isAlive()).as("victim alive; its output:%n%s", victimOutput()).isTrue();
        return false;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nvictim output:\n" + victimOutput(), e);
    }
    for (ClusterNode node : nodes) {
      node.load(0.9);
      a.awaitView("full", node.nodeId, s -> "full".equals(s.getString("status")));
    }

    try (WsClient client = WsClient.connect(a.vertx, a.webPort)) {
      client.submit("long", new JsonObject().put("op", "sleep").put("ms", 120_000));
      JsonObject accepted = client.reply("long");
      assertThat(accepted.getString("nodeId")).as("reply %s", accepted).isEqualTo(victimId[0]);
      String jobId = accepted.getString("jobId");
      client.event(jobId, "started");
      List<ProcessHandle> victimChildren = victim.descendants().toList();
      assertThat(victimChildren).isNotEmpty();

      long killedAt = System.nanoTime();
      victim.destroyForcibly(); // SIGKILL
      assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();

      JsonObject lost = client.terminal(jobId);
      System.out.printf("node-lost %d ms after SIGKILL%n", (System.nanoTime() - killedAt) / 1_000_000);
      assertThat(lost.getString("event")).isEqualTo("failed");
      assertThat(lost.getString("reason")).isEqualTo("node-lost");
      assertThat(lost.getString("detail")).contains(victimId[0]);
      assertThat(a.viewOf(victimId[0])).as("gone from the view").isNull();
      waitFor("the victim's children to exit", () -> victimChildren.stream().noneMatch(ProcessHandle::isAlive));

      // the survivors take the jobs now
      for (ClusterNode node : nodes) {
        node.load(0.1);
        a.awaitView("available", node.nodeId, s -> "available".equals(s.getString("status")));
      }
      List<String> later = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        JsonObject reply = a.submit(new JsonObject().put("op", "sleep").put("ms", 50));
        assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("accepted");
        assertThat(reply.getString("nodeId")).isIn(a.nodeId, b.nodeId);
        later.add(reply.getString("jobId"));
      }
      for (String id : later) {
        assertThat(a.awaitTerminal(id).getString("event")).isEqualTo("completed");
      }

      // exactly one terminal event for the lost job, on the bus as on the WebSocket
      assertThat(a.events(jobId).stream().filter(JobEvents::isTerminal)).hasSize(1);
      assertThat(client.jobFrames(jobId).stream().filter(JobEvents::isTerminal)).hasSize(1);
      assertThat(a.view().getInteger("forwardedJobs")).isZero();
    }
  }
}
