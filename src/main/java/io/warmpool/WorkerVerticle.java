package io.warmpool;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Addresses;
import io.warmpool.cluster.ClusterMembership;
import io.warmpool.cluster.ClusterVerticle;
import io.warmpool.config.WorkerConfig;
import io.warmpool.load.LoadSources;
import io.warmpool.load.LoadTimer;
import io.warmpool.pool.PoolVerticle;
import io.warmpool.web.WebVerticle;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The main verticle: deploys the pool and web verticles (and, with {@code cluster.enabled}, the
 * cluster's dispatcher) and runs the load timer that feeds the pool its averaged load.
 */
public final class WorkerVerticle extends VerticleBase {

  private final WorkerConfig config;
  private final PrometheusMeterRegistry registry;
  /** This node in the cluster, or {@code null} for a standalone worker. */
  private final ClusterMembership membership;
  private MessageConsumer<JsonObject> stateConsumer;
  private final AtomicInteger activeJobs = new AtomicInteger();
  private LoadTimer loadTimer;
  private WebVerticle web;

  /** @param registry where the worker's own series go; {@code GET /metrics} serves it */
  public WorkerVerticle(WorkerConfig config, PrometheusMeterRegistry registry) {
    this(config, registry, null);
  }

  /**
   * @param membership this node in the cluster, made from the cluster manager the clustered Vert.x
   *                   was built with; {@code null} for a standalone worker
   */
  public WorkerVerticle(WorkerConfig config, PrometheusMeterRegistry registry, ClusterMembership membership) {
    this.config = config;
    this.registry = registry;
    this.membership = membership;
  }

  @Override
  public Future<?> start() {
    // the jobs load source counts what the pool reports; the state stream is the pool's word for it
    stateConsumer = vertx.eventBus().<JsonObject>localConsumer(Addresses.POOL_STATE,
      msg -> activeJobs.set(msg.body().getInteger("activeJobs", 0)));
    web = new WebVerticle(config, registry);
    String nodeId = membership == null ? null : membership.nodeId();
    return vertx.deployVerticle(new PoolVerticle(config, registry, nodeId))
      .compose(id -> vertx.deployVerticle(web))
      .compose(id -> config.cluster().enabled() ? vertx.deployVerticle(new ClusterVerticle(membership, webUrl())) : Future.succeededFuture())
      .compose(id -> LoadSources.create(vertx, config.load().source(), config.load().maxJobs(), activeJobs::get))
      .compose(source -> {
        loadTimer = new LoadTimer(vertx, source, config.load().intervalMs(), config.load().window());
        return loadTimer.start();
      });
  }

  @Override
  public Future<?> stop() {
    Future<Void> timer = loadTimer == null ? Future.succeededFuture() : loadTimer.stop();
    return timer.compose(v -> stateConsumer.unregister());
  }

  /** The HTTP port actually bound. */
  public int httpPort() {
    return web.actualPort();
  }

  /** The URL other nodes show for this one: the web host, or the cluster host when the web binds every interface. */
  private String webUrl() {
    String host = config.web().host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = config.cluster().host();
    }
    return "http://" + host + ":" + web.actualPort();
  }

  /** Asks the pool to drain; completes when it has, or after {@code boundMs}. */
  static Future<Void> drain(Vertx vertx, long boundMs) {
    return vertx.eventBus().request(Addresses.WORKER_DRAIN, null, new DeliveryOptions().setSendTimeout(boundMs))
      .mapEmpty();
  }
}
