package io.warmpool;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.warmpool.cli.Cli;
import io.warmpool.cluster.ClusterSetup;
import io.warmpool.config.ConfigException;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.HeapBudget;
import io.warmpool.config.WorkerConfig;
import io.warmpool.embed.Warmpool;
import io.warmpool.embed.WarmpoolOptions;
import io.warmpool.pool.PoolVerticle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code java -jar warmpool.jar [--conf FILE]}: loads the config (file, then
 * {@code WARMPOOL_<SECTION>_<KEY>} variables), builds Vert.x and deploys the worker: a pool with its
 * web endpoints ({@link Warmpool#deploy}). SIGTERM or
 * SIGINT drains the worker before the JVM exits; a second one kills every child at once.
 * {@code java -jar warmpool.jar submit|watch|cancel|state …} is the command-line client ({@link Cli}) instead.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final long JOIN_TIMEOUT_S = 60;
  private static final String USAGE = "usage: java -jar warmpool.jar [--conf FILE]\n" + Cli.USAGE;

  /**
   * One event loop for the whole worker. Its verticles are one instance each and hand every job
   * to one another; on one thread a start no longer wakes the pool's loop and then the web's
   * again. Measured on 2 cores against Vert.x's default of two loops a core: a reused process's
   * start 1.0 → 0.62 ms past the JIT warm-up, its hops' p99 7.9 → 5.1 ms, and as many jobs a
   * second with 64 outstanding (7,400-8,000). Blocking work goes to worker threads either way.
   */
  private static final int EVENT_LOOPS = 1;

  public static void main(String[] args) {
    if (args.length > 0 && Cli.isCommand(args[0])) {
      System.exit(Cli.run(args, System.out, System.err, System.getenv(), System.console() != null));
    }
    WorkerConfig config;
    try {
      config = ConfigLoader.load(confFile(args), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("warmpool: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    } catch (ConfigException e) {
      System.err.println("warmpool: invalid config: " + e.getMessage());
      System.exit(2);
      return;
    }
    String heapShortfall = HeapBudget.of(config).shortfall(Runtime.getRuntime().maxMemory());
    if (heapShortfall != null) {
      LOG.warn(heapShortfall);
    }
    // one registry for Vert.x's own series and the worker's, served by GET /metrics
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)))
      .setEventLoopPoolSize(EVENT_LOOPS);
    Vertx vertx;
    HazelcastClusterManager clusterManager = null;
    if (!config.cluster().enabled()) {
      vertx = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry)).build();
    } else {
      // the cluster manager is ours: this node's id and the news of others leaving come from it
      clusterManager = ClusterSetup.clusterManager(config.cluster());
      try {
        vertx = joinCluster(options, registry, config.cluster(), clusterManager);
      } catch (Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        System.err.println("warmpool: cannot join the cluster: " + cause.getMessage());
        System.exit(1);
        return;
      }
    }
    Warmpool pool;
    try {
      // the same deployment an application embedding a pool makes, with the web endpoints
      pool = Warmpool.deploy(vertx, new WarmpoolOptions().setConfig(config).setWeb(true).setMeterRegistry(registry)
        .setClusterManager(clusterManager)).toCompletionStage().toCompletableFuture().join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("warmpool: cannot start: " + cause.getMessage());
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).exceptionally(err -> null).join();
      System.exit(1);
      return;
    }
    handleSignals(vertx, pool);
  }

  /**
   * SIGTERM or SIGINT: drain, stop every process, exit 0. A second signal while draining: kill
   * every child at once and exit non-zero, for an operator who cannot wait.
   */
  private static void handleSignals(Vertx vertx, Warmpool pool) {
    AtomicInteger received = new AtomicInteger();
    SignalHandler handler = signal -> {
      if (received.incrementAndGet() == 1) {
        Thread drain = new Thread(() -> {
          shutdown(vertx, pool);
          System.exit(0);
        }, "warmpool-shutdown");
        drain.start();
      } else {
        LOG.warn("second {} while draining: killing every child process now", signal.getName());
        // each child with whatever it started, wherever that went; then anything else of this JVM
        PoolVerticle.killEveryChildNow();
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        Runtime.getRuntime().halt(128 + signal.getNumber());
      }
    };
    Signal.handle(new Signal("TERM"), handler);
    Signal.handle(new Signal("INT"), handler);
  }

  /** Builds a clustered Vert.x (Hazelcast, see docs/cluster.md); waits until it has joined. */
  private static Vertx joinCluster(VertxOptions options, PrometheusMeterRegistry registry, WorkerConfig.Cluster cluster,
                                   HazelcastClusterManager clusterManager) throws Exception {
    LOG.info("joining cluster '{}' on {}:{} (members {}), event bus {}", cluster.name(), cluster.host(), cluster.port(),
      cluster.members(), cluster.tls() ? "over TLS, client certificates required" : "without TLS");
    if (!cluster.tls() && !ClusterSetup.loopback(cluster)) {
      LOG.warn("cluster.host {} is not a loopback address and the event bus has no TLS: whoever reaches it can submit, "
        + "cancel and read every job; set cluster.tlsKeyStore and keep cluster.host on a private network (docs/security.md)",
        cluster.host());
    }
    return Vertx.builder()
      .with(ClusterSetup.eventBus(options, cluster))
      .withMetrics(new MicrometerMetricsFactory(registry))
      .withClusterManager(clusterManager)
      .buildClustered()
      .toCompletionStage().toCompletableFuture().get(JOIN_TIMEOUT_S, TimeUnit.SECONDS);
  }

  /** Drains (running jobs finish up to drain.timeoutMs, every process is stopped), then closes Vert.x. */
  private static void shutdown(Vertx vertx, Warmpool pool) {
    WorkerConfig config = pool.config();
    LOG.info("shutting down: draining for up to {} ms", config.drain().timeoutMs());
    // the pool's close is bounded by the drain and close timeouts itself; this only guards against a hang
    long boundMs = config.drain().timeoutMs() + config.pool().closeTimeoutMs() + 20_000;
    try {
      pool.close().toCompletionStage().toCompletableFuture().get(boundMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.error("drain did not complete: {}; closing anyway", e.toString());
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      LOG.info("stopped");
    } catch (Exception e) {
      LOG.error("close did not complete cleanly: {}", e.toString());
    }
  }

  static Path confFile(String[] args) {
    Path conf = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--conf" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--conf needs a file");
          }
          conf = Path.of(args[++i]);
        }
        case "--help", "-h" -> {
          System.out.println(USAGE);
          System.exit(0);
        }
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
      }
    }
    return conf;
  }

  private Main() {
  }
}
