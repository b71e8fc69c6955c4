package io.warmpool.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.warmpool.bus.Addresses;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.warmpool.cluster.ClusterNode.await;
import static io.warmpool.cluster.ClusterNode.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The clustered event bus over TLS ({@code cluster.tlsKeyStore}). Two nodes holding the
 * cluster's certificate dispatch a job to each other. An intruder that reaches the cluster (it
 * joins Hazelcast, which has no TLS) but lacks that certificate can neither submit to a node's
 * pool nor hear job events: neither with a plain bus, nor over TLS with a certificate of its own
 * while trusting any server. The same intruder on a cluster without TLS does both, which is what
 * the option is for. Certificates are made with keytool as {@code make cluster-cert} makes them.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterTlsTest {

  private static final String PASSWORD = "test-cluster-secret";
  private static final long INTRUDER_WAIT_MS = 5_000;

  @TempDir
  static Path certs;
  private static Path clusterStore;
  private static Path otherStore;

  private final List<ClusterNode> nodes = new ArrayList<>();
  private final List<Vertx> intruders = new ArrayList<>();

  @BeforeAll
  static void certificates() throws Exception {
    clusterStore = keyStore("warmpool-cluster");
    otherStore = keyStore("someone-else");
  }

  @AfterEach
  void stop() throws Exception {
    for (Vertx intruder : intruders) {
      await(intruder.close());
    }
    ClusterNode.closeAll(nodes);
  }

  @Test
  void nodesWithTheCertificateDispatchAndNodesWithoutItCannotSendNorHear() throws Exception {
    String name = ClusterNode.uniqueName();
    int seed = ClusterNode.freePort();
    ClusterNode a = add(ClusterNode.start(name, seed, seed, false, tls()));
    ClusterNode b = add(ClusterNode.start(name, 0, seed, false, tls()));
    a.load(0.1);
    b.load(0.1);
    a.awaitView("B's state over the TLS bus", b.nodeId, s -> s.getInteger("idle") == 1);

    Intruder plain = intruder(name, seed, bus -> { });
    Intruder ownCertificate = intruder(name, seed, bus -> bus.setSsl(true).setTrustAll(true)
      .setKeyCertOptions(new PfxOptions().setPath(otherStore.toString()).setPassword(PASSWORD)));
    for (Intruder intruder : List.of(plain, ownCertificate)) {
      waitFor("the intruder in the Hazelcast cluster with both nodes",
        () -> intruder.clusterManager.getNodes().containsAll(List.of(a.nodeId, b.nodeId)));
    }

    String forwarded = dispatchedFromAToB(a, b);

    for (Intruder intruder : List.of(plain, ownCertificate)) {
      String jobId = "intruder-" + UUID.randomUUID();
      Throwable refused = catchThrowable(() -> intruder.submit(b, jobId));
      assertThat(refused).as("a submission from a node without the cluster's certificate").isNotNull();
      assertThat(b.events(jobId)).as("events of the intruder's job").isEmpty();
      assertThat(b.ranHere).doesNotContain(jobId);
      assertThat(intruder.heard).as("job events heard by a node without the certificate").isEmpty();
    }
    assertThat(a.events(forwarded)).extracting(e -> e.getString("event")).contains("completed");
    // the intruders' failed connections leave the nodes' own traffic alone
    dispatchedFromAToB(a, b);
    assertThat(plain.heard).isEmpty();
    assertThat(ownCertificate.heard).isEmpty();
  }

  @Test
  void withoutTlsAnyoneWhoReachesTheBusSubmitsAndHearsEveryJob() throws Exception {
    String name = ClusterNode.uniqueName();
    int seed = ClusterNode.freePort();
    ClusterNode a = add(ClusterNode.start(name, seed, seed, false, new JsonObject().put("pool", new JsonObject().put("maxIdle", 1))));
    a.load(0.1);
    Intruder intruder = intruder(name, seed, bus -> { });
    waitFor("the intruder in the cluster", () -> intruder.clusterManager.getNodes().contains(a.nodeId));

    String jobId = "intruder-" + UUID.randomUUID();
    assertThat(intruder.submit(a, jobId).getString("type")).isEqualTo("accepted");
    waitFor("the intruder to hear its job complete", () -> intruder.heard.stream()
      .anyMatch(e -> jobId.equals(e.getString("jobId")) && "completed".equals(e.getString("event"))));
    assertThat(a.ranHere).contains(jobId);
  }

  /** A job submitted at a full A runs on B, its events back at A: the bus between them works. */
  private static String dispatchedFromAToB(ClusterNode a, ClusterNode b) throws Exception {
    a.load(0.9);
    a.awaitView("A full", a.nodeId, s -> "full".equals(s.getString("status")));
    JsonObject reply = a.submit(new JsonObject().put("op", "echo").put("value", "over TLS"));
    assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("accepted");
    assertThat(reply.getString("nodeId")).isEqualTo(b.nodeId);
    String jobId = reply.getString("jobId");
    assertThat(a.awaitTerminal(jobId).getString("event")).isEqualTo("completed");
    assertThat(b.ranHere).contains(jobId);
    a.load(0.1);
    a.awaitView("A available", a.nodeId, s -> "available".equals(s.getString("status")));
    return jobId;
  }

  /** The TLS keys of a node holding the cluster's certificate, and a pool of one warm process. */
  private static JsonObject tls() {
    return new JsonObject()
      .put("cluster", new JsonObject().put("tlsKeyStore", clusterStore.toString()).put("tlsKeyStorePassword", PASSWORD))
      .put("pool", new JsonObject().put("maxIdle", 1));
  }

  private ClusterNode add(ClusterNode node) {
    nodes.add(node);
    return node;
  }

  /** A clustered Vert.x joining as nodes do, without a pool, listening to job events. */
  private Intruder intruder(String clusterName, int seedPort, Consumer<EventBusOptions> bus) throws Exception {
    WorkerConfig config = ConfigLoader.fromJson(new JsonObject().put("cluster", ClusterNode.cluster(clusterName, 0, seedPort)), Map.of());
    VertxOptions options = ClusterSetup.eventBus(new VertxOptions(), config.cluster());
    bus.accept(options.getEventBusOptions());
    HazelcastClusterManager clusterManager = ClusterSetup.clusterManager(config.cluster());
    Vertx vertx = await(Vertx.builder().with(options).withClusterManager(clusterManager).buildClustered());
    intruders.add(vertx);
    Intruder intruder = new Intruder(vertx, clusterManager);
    await(vertx.eventBus().<JsonObject>consumer(Addresses.DEFAULT.jobsEvents(), msg -> intruder.heard.add(msg.body())).completion());
    return intruder;
  }

  private record Intruder(Vertx vertx, HazelcastClusterManager clusterManager, List<JsonObject> heard) {

    Intruder(Vertx vertx, HazelcastClusterManager clusterManager) {
      this(vertx, clusterManager, new CopyOnWriteArrayList<>());
    }

    /** A submission straight to the node's pool, as a dispatcher forwards one. */
    JsonObject submit(ClusterNode node, String jobId) throws Exception {
      JsonObject submission = new JsonObject().put("jobId", jobId).put("payload", new JsonObject().put("op", "echo").put("value", "intruder"));
      return await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.onNode(node.nodeId, Addresses.DEFAULT.jobsSubmit()), submission,
        new DeliveryOptions().setSendTimeout(INTRUDER_WAIT_MS)).map(msg -> msg.body()));
    }
  }

  /** A self-signed key pair in a PKCS#12 file, made as {@code make cluster-cert} makes the cluster's. */
  private static Path keyStore(String name) throws Exception {
    Path file = certs.resolve(name + ".p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
      "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name, "-validity", "2",
      "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
      .redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).as("keytool done").isTrue();
    assertThat(keytool.exitValue()).as("keytool: %s", new String(keytool.getInputStream().readAllBytes())).isZero();
    return file;
  }
}
