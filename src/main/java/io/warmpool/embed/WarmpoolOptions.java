package io.warmpool.embed;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;

/** What {@link Warmpool#deploy} deploys: the pool's configuration and which of its parts run. */
public final class WarmpoolOptions {

  private WorkerConfig config;
  private boolean web;
  private MeterRegistry meterRegistry;
  private HazelcastClusterManager clusterManager;

  public WorkerConfig getConfig() {
    return config;
  }

  /**
   * The pool's configuration ({@link WorkerConfig#builder()}, or {@link ConfigLoader#load} for a
   * file and the environment). Default: every key at its default ({@code conf/worker.json}).
   */
  public WarmpoolOptions setConfig(WorkerConfig config) {
    this.config = config;
    return this;
  }

  public boolean isWeb() {
    return web;
  }

  /**
   * Whether the pool also serves HTTP and the WebSocket ({@code /ws}, {@code /health},
   * {@code /worker}, {@code /metrics}, {@code PUT /load}, the dashboard) on {@code web.host} and
   * {@code web.port}. Default {@code false}: an application reaches its pool over the bus.
   */
  public WarmpoolOptions setWeb(boolean web) {
    this.web = web;
    return this;
  }

  public MeterRegistry getMeterRegistry() {
    return meterRegistry;
  }

  /**
   * Where the pool's series go (the application's own registry: they carry the tag
   * {@code pool=<bus.prefix>}, so that pools sharing one stay apart). Default: a Prometheus
   * registry of the pool's own, which {@code GET /metrics} serves.
   */
  public WarmpoolOptions setMeterRegistry(MeterRegistry meterRegistry) {
    this.meterRegistry = meterRegistry;
    return this;
  }

  public HazelcastClusterManager getClusterManager() {
    return clusterManager;
  }

  /**
   * With {@code cluster.enabled}: the cluster manager the application's clustered Vert.x was
   * built with ({@code Vertx.builder().withClusterManager(…).buildClustered()}). The pool's
   * dispatcher learns this node's id and the others' departures from it.
   */
  public WarmpoolOptions setClusterManager(HazelcastClusterManager clusterManager) {
    this.clusterManager = clusterManager;
    return this;
  }
}
