package io.warmpool.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.JobEvents;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;
import io.warmpool.embed.Warmpool;
import io.warmpool.embed.WarmpoolOptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One node of a test cluster in this JVM: its own clustered Vert.x (Hazelcast on 127.0.0.1), its
 * own meter registry, a pool with real child processes, the dispatcher and, if asked, the web
 * verticle. Load is external and set by the test ({@link #load}), per node.
 */
final class ClusterNode implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * Test pools: two warm processes, reused for many jobs, spawns slowed so a burst queues
   * instead. Surplus idle processes go at once: each test begins from two idle per node, and
   * with the default damping a burst's surplus could stay longer than a test waits for it.
   */
  static final JsonObject POOL = new JsonObject()
    .put("maxIdle", 2).put("maxProcesses", 40).put("maxJobsPerProcess", 1000)
    .put("maxConcurrentInits", 1).put("maxSpawnRate", 1)
    .put("scaleDownDelayMs", 0).put("scaleDownWindowMs", 0)
    .put("pingIntervalMs", 500).put("pingTimeoutMs", 5000);

  final Vertx vertx;
  final WorkerConfig config;
  final String nodeId;
  final int webPort;
  /** Started events of the jobs this node's pool ran (its own publishes only). */
  final Set<String> ranHere = ConcurrentHashMap.newKeySet();
  /** Every job event this node's bus saw, from any node. */
  final Map<String, List<JsonObject>> events = new ConcurrentHashMap<>();

  private ClusterNode(Vertx vertx, WorkerConfig config, String nodeId, int webPort) {
    this.vertx = vertx;
    this.config = config;
    this.nodeId = nodeId;
    this.webPort = webPort;
  }

  /** A cluster name no other test run shares. */
  static String uniqueName() {
    return "warmpool-test-" + UUID.randomUUID();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The cluster keys of a test node: loopback, joining through the seed node's port. */
  static JsonObject cluster(String name, int port, int seedPort) {
    return new JsonObject().put("enabled", true).put("name", name).put("host", "127.0.0.1").put("port", port)
      .put("members", new JsonArray().add("127.0.0.1:" + seedPort));
  }

  /**
   * Starts a node.
   *
   * @param port its Hazelcast port (0 = any; the seed node needs a known one)
   */
  static ClusterNode start(String clusterName, int port, int seedPort, boolean web, JsonObject overrides) throws Exception {
    JsonObject all = new JsonObject()
      .put("web", new JsonObject().put("port", 0))
      .put("load", new JsonObject().put("source", "external").put("window", 1))
      .put("pool", POOL.copy())
      .put("cluster", cluster(clusterName, port, seedPort))
      .mergeIn(overrides, true);
    WorkerConfig config = ConfigLoader.fromJson(all, Map.of());
    // built as Main does: the node's id and the pool's membership come from the cluster manager made here
    HazelcastClusterManager clusterManager = ClusterSetup.clusterManager(config.cluster());
    Vertx vertx = await(Vertx.builder()
      .with(ClusterSetup.eventBus(new VertxOptions(), config.cluster()))
      .withClusterManager(clusterManager)
      .buildClustered());
    try {
      Warmpool pool = await(Warmpool.deploy(vertx, new WarmpoolOptions().setConfig(config).setWeb(web)
        .setClusterManager(clusterManager)));
      ClusterNode node = new ClusterNode(vertx, config, clusterManager.getNodeId(), pool.webPort());
      await(vertx.eventBus().<JsonObject>localConsumer(Addresses.DEFAULT.jobsEvents(), msg -> {
        if (JobEvents.STARTED.equals(msg.body().getString("event"))) {
          node.ranHere.add(msg.body().getString("jobId"));
        }
      }).completion());
      await(vertx.eventBus().<JsonObject>consumer(Addresses.DEFAULT.jobsEvents(), msg ->
        node.events.computeIfAbsent(msg.body().getString("jobId"), id -> new CopyOnWriteArrayList<>()).add(msg.body())
      ).completion());
      return node;
    } catch (Exception e) {
      await(vertx.close());
      throw e;
    }
  }

  /** Publishes an averaged load sample on this node only, as its load timer would. */
  void load(double load) {
    vertx.eventBus().publish(Addresses.DEFAULT.load(), new JsonObject().put("load", load).put("source", "test"));
  }

  JsonObject submit(JsonObject payload) throws Exception {
    return submitRequest(new JsonObject().put("payload", payload));
  }

  JsonObject submitRequest(JsonObject request) throws Exception {
    return await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsSubmit(), request).map(msg -> msg.body()));
  }

  Future<JsonObject> submitAsync(JsonObject payload) {
    return vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsSubmit(), new JsonObject().put("payload", payload))
      .map(msg -> msg.body());
  }

  JsonObject request(String address, String jobId) throws Exception {
    return await(vertx.eventBus().<JsonObject>request(address, new JsonObject().put("jobId", jobId)).map(msg -> msg.body()));
  }

  /** This node's view: {@code {"nodeId","forwardedJobs","nodes":[…]}}. */
  JsonObject view() throws Exception {
    return await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.clusterView(), null,
      new DeliveryOptions().setLocalOnly(true)).map(msg -> msg.body()));
  }

  /** The node's entry in this node's view, or null. */
  JsonObject viewOf(String otherId) throws Exception {
    for (Object node : view().getJsonArray("nodes")) {
      if (otherId.equals(((JsonObject) node).getString("nodeId"))) {
        return (JsonObject) node;
      }
    }
    return null;
  }

  /** Waits until this node sees {@code other} in the view with a state that matches. */
  void awaitView(String what, String otherId, Predicate<JsonObject> match) throws Exception {
    JsonObject[] last = {null};
    try {
      waitFor(what, () -> {
        last[0] = viewOf(otherId);
        return last[0] != null && match.test(last[0]);
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last seen: " + (last[0] == null ? "not in the view" : last[0].encode()));
    }
  }

  List<JsonObject> events(String jobId) {
    return events.getOrDefault(jobId, List.of());
  }

  JsonObject awaitTerminal(String jobId) throws Exception {
    waitFor("a terminal event of " + jobId, () -> events(jobId).stream().anyMatch(JobEvents::isTerminal));
    return events(jobId).stream().filter(JobEvents::isTerminal).findFirst().orElseThrow();
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  static void waitFor(String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for " + what);
      }
      // polling interval of the condition, not a wait for the outcome itself
      Thread.sleep(20);
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Closes the node's Vert.x: its verticles stop (the pool stops its processes) and it leaves the cluster. */
  @Override
  public void close() throws Exception {
    await(vertx.close());
  }

  /** Closes every node, then checks that none left a child process behind. */
  static void closeAll(List<ClusterNode> nodes) throws Exception {
    Exception failure = null;
    for (ClusterNode node : nodes) {
      try {
        node.close();
      } catch (Exception e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
    waitFor("every child process to end", () -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
  }
}
