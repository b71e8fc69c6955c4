package io.warmpool.embed;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.warmpool.bus.Addresses;
import io.warmpool.cluster.ClusterMembership;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool deployed into an application's own {@link Vertx} ({@code docs/embedding.md}), and the
 * standalone worker's too: {@link #deploy} starts it, {@link #client()} submits to it over the
 * event bus, {@link #close()} drains it and leaves no child process.
 */
public final class Warmpool {

  private static final Logger LOG = LoggerFactory.getLogger(Warmpool.class);
  /** What closing may take beyond draining and stopping processes: undeploying, the last replies. */
  private static final long CLOSE_MARGIN_MS = 10_000;

  private final Vertx vertx;
  private final String deploymentId;
  private final PoolDeployment deployment;
  private final WorkerConfig config;
  private final MeterRegistry registry;
  private final PoolClient client;
  private Future<Void> closing;

  private Warmpool(Vertx vertx, String deploymentId, PoolDeployment deployment, WorkerConfig config,
                   MeterRegistry registry, PoolClient client) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.deployment = deployment;
    this.config = config;
    this.registry = registry;
    this.client = client;
  }

  /**
   * Deploys a pool into {@code vertx}: the pool with its load sampling, the web endpoints if
   * asked for, the cluster's dispatcher with {@code cluster.enabled}. Completes once the pool
   * answers on the bus (its processes warm up from then on); fails, with what to change, when
   * the options do not fit this Vert.x or a part cannot start (a port taken…).
   */
  public static Future<Warmpool> deploy(Vertx vertx, WarmpoolOptions options) {
    WorkerConfig config = options.getConfig() != null ? options.getConfig() : ConfigLoader.defaults();
    ClusterMembership membership;
    try {
      membership = membership(vertx, config, options);
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
    MeterRegistry registry = options.getMeterRegistry() != null ? options.getMeterRegistry()
      : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PoolDeployment deployment = new PoolDeployment(config, options.isWeb(), registry, membership);
    return vertx.deployVerticle(deployment).map(id -> new Warmpool(vertx, id, deployment, config, registry,
      PoolClient.create(vertx, config.bus().prefix())));
  }

  /** {@link #deploy(Vertx, WarmpoolOptions)} of this configuration, without the web endpoints. */
  public static Future<Warmpool> deploy(Vertx vertx, WorkerConfig config) {
    return deploy(vertx, new WarmpoolOptions().setConfig(config));
  }

  /** This node in the cluster with {@code cluster.enabled}, else {@code null}; refuses what cannot work. */
  private static ClusterMembership membership(Vertx vertx, WorkerConfig config, WarmpoolOptions options) {
    if (!config.cluster().enabled()) {
      if (vertx.isClustered()) {
        throw new IllegalStateException("this Vert.x is clustered: set cluster.enabled and WarmpoolOptions.setClusterManager,"
          + " so that the pool takes part in the cluster's dispatch (docs/cluster.md)");
      }
      return null;
    }
    if (!vertx.isClustered() || options.getClusterManager() == null) {
      throw new IllegalStateException("cluster.enabled needs a clustered Vert.x and its cluster manager: build it with"
        + " Vertx.builder().withClusterManager(clusterManager).buildClustered() and pass the same one to"
        + " WarmpoolOptions.setClusterManager (docs/embedding.md)");
    }
    return ClusterMembership.of(options.getClusterManager());
  }

  /** The typed client of this pool, over the event bus. */
  public PoolClient client() {
    return client;
  }

  /** The pool's event-bus addresses ({@code bus.prefix}). */
  public Addresses addresses() {
    return client.addresses();
  }

  public WorkerConfig config() {
    return config;
  }

  /** Where the pool's series go. */
  public MeterRegistry meterRegistry() {
    return registry;
  }

  /** The port the web endpoints listen on (it differs from {@code web.port} when that is 0), or -1 without them. */
  public int webPort() {
    return deployment.webPort();
  }

  /** The deployment of the pool's verticles. */
  public String deploymentId() {
    return deploymentId;
  }

  /**
   * Drains the pool and undeploys it: no job is taken from now on, running ones go on up to
   * {@code drain.timeoutMs} and are then ended {@code shutdown}, every process is stopped (and
   * killed after {@code pool.closeTimeoutMs}), and the pool's verticles are undeployed.
   * Completes when that is done; calling it again returns the same future. Undeploying the
   * verticle that deployed the pool (its parent deployment), or closing Vert.x, drains it too,
   * only without the web endpoints meanwhile.
   */
  public synchronized Future<Void> close() {
    if (closing == null && !vertx.deploymentIDs().contains(deploymentId)) {
      // undeployed already, with the verticle that deployed it or its Vert.x: it drained then
      closing = client.close();
    } else if (closing == null) {
      long boundMs = config.drain().timeoutMs() + config.pool().closeTimeoutMs() + CLOSE_MARGIN_MS;
      closing = vertx.eventBus().request(addresses().workerDrain(), null,
          new DeliveryOptions().setLocalOnly(true).setSendTimeout(boundMs))
        .transform(drained -> {
          if (drained.failed()) {
            // undeploying still stops every process, only without waiting for the jobs
            LOG.warn("pool {} did not drain ({}); undeploying it anyway", addresses().prefix(), drained.cause().getMessage());
          }
          return client.close();
        })
        .transform(v -> vertx.undeploy(deploymentId));
    }
    return closing;
  }
}
