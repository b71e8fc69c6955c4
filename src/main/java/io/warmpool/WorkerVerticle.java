package io.warmpool;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.warmpool.bus.Addresses;
import io.warmpool.cluster.ClusterMembership;
import io.warmpool.cluster.ClusterVerticle;
import io.warmpool.config.WorkerConfig;
import io.warmpool.pool.PoolVerticle;
import io.warmpool.web.WebVerticle;

/**
 * The main verticle: deploys the pool verticle (which runs its own load timer), the web verticle
 * and, with {@code cluster.enabled}, the cluster's dispatcher. It holds no state of its own.
 */
public final class WorkerVerticle extends VerticleBase {

  private final WorkerConfig config;
  private final PrometheusMeterRegistry registry;
  /** This node in the cluster, or {@code null} for a standalone worker. */
  private final ClusterMembership membership;
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
    web = new WebVerticle(config, registry);
    String nodeId = membership == null ? null : membership.nodeId();
    return vertx.deployVerticle(new PoolVerticle(config, registry, nodeId))
      .compose(id -> vertx.deployVerticle(web))
      .compose(id -> config.cluster().enabled() ? vertx.deployVerticle(new ClusterVerticle(membership, Addresses.of(config.bus().prefix()), webUrl())) : Future.succeededFuture());
  }

  /** The URL other nodes show for this one: the web host, or the cluster host when the web binds every interface. */
  private String webUrl() {
    return "http://" + WebVerticle.advertisedHost(config) + ":" + web.actualPort();
  }

  /** Asks the pool to drain; completes when it has, or after {@code boundMs}. */
  static Future<Void> drain(Vertx vertx, long boundMs) {
    return vertx.eventBus().request(Addresses.DEFAULT.workerDrain(), null, new DeliveryOptions().setSendTimeout(boundMs))
      .mapEmpty();
  }
}
