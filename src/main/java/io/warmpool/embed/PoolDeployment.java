package io.warmpool.embed;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.warmpool.bus.Addresses;
import io.warmpool.cluster.ClusterMembership;
import io.warmpool.cluster.ClusterVerticle;
import io.warmpool.config.WorkerConfig;
import io.warmpool.pool.PoolVerticle;
import io.warmpool.web.WebVerticle;

/**
 * One pool's verticles, deployed as its children so that one undeploy stops them all: the pool
 * (which deploys its own load timer), the web verticle when asked for, the cluster's dispatcher
 * with {@code cluster.enabled}. The only place that wires them, for the standalone worker and an
 * embedding application alike. It holds no state of its own.
 */
final class PoolDeployment extends VerticleBase {

  private final WorkerConfig config;
  private final boolean web;
  private final MeterRegistry registry;
  /** This node in the cluster, or {@code null} without {@code cluster.enabled}. */
  private final ClusterMembership membership;
  private WebVerticle webVerticle;

  PoolDeployment(WorkerConfig config, boolean web, MeterRegistry registry, ClusterMembership membership) {
    this.config = config;
    this.web = web;
    this.registry = registry;
    this.membership = membership;
  }

  @Override
  public Future<?> start() {
    String nodeId = membership == null ? null : membership.nodeId();
    // undeployed with the application's verticle or its Vert.x, the pool drains first, as close() has it do
    Future<?> started = vertx.deployVerticle(new PoolVerticle(config, registry, nodeId, true));
    if (web) {
      webVerticle = new WebVerticle(config, registry);
      started = started.compose(id -> vertx.deployVerticle(webVerticle));
    }
    if (membership != null) {
      started = started.compose(id -> vertx.deployVerticle(
        new ClusterVerticle(membership, Addresses.of(config.bus().prefix()), webUrl())));
    }
    return started;
  }

  /** The port the web verticle bound, or -1 without it. */
  int webPort() {
    return webVerticle == null ? -1 : webVerticle.actualPort();
  }

  /** The URL other nodes show for this one (the web host, or the cluster host when the web binds every interface), or {@code null} without the web. */
  private String webUrl() {
    return webVerticle == null ? null : "http://" + WebVerticle.advertisedHost(config) + ":" + webVerticle.actualPort();
  }
}
