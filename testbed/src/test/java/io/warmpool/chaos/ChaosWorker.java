package io.warmpool.chaos;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Addresses;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;
import io.warmpool.pool.PoolVerticle;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One worker in this JVM: its own Vert.x with a pool verticle, driven over the event bus like
 * any other verticle would. Load comes only from the run ({@link #publishLoad}), never from the
 * machine, so the admission and the idle target follow the run's jobs.
 */
final class ChaosWorker implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(30);
  private static final DeliveryOptions REQUEST = new DeliveryOptions().setSendTimeout(WAIT.toMillis());

  final String name;
  final Vertx vertx;
  final WorkerConfig config;
  private String deploymentId;

  private ChaosWorker(String name, Vertx vertx, WorkerConfig config) {
    this.name = name;
    this.vertx = vertx;
    this.config = config;
  }

  /** Starts a worker on {@code overrides} (merged over external load with a window of 1); its job events go to {@code ledger}. */
  static ChaosWorker start(String name, JsonObject overrides, JobLedger ledger) throws Exception {
    JsonObject all = new JsonObject()
      .put("load", new JsonObject().put("source", "external").put("window", 1))
      .mergeIn(overrides, true);
    WorkerConfig config = ConfigLoader.fromJson(all, Map.of());
    ChaosWorker worker = new ChaosWorker(name, Vertx.vertx(), config);
    try {
      await(worker.vertx.eventBus().<JsonObject>consumer(Addresses.DEFAULT.jobsEvents(), msg -> ledger.onEvent(name, msg.body()))
        .completion());
      worker.deploymentId = await(worker.vertx.deployVerticle(new PoolVerticle(config, new SimpleMeterRegistry())));
    } catch (Exception e) {
      worker.close();
      throw e;
    }
    return worker;
  }

  JsonObject submit(String jobId, JsonObject payload, long timeoutMs) throws Exception {
    JsonObject request = new JsonObject().put("jobId", jobId).put("payload", payload);
    if (timeoutMs > 0) {
      request.put("timeoutMs", timeoutMs);
    }
    return await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsSubmit(), request, REQUEST).map(msg -> msg.body()));
  }

  /** The {@code GET /worker} body. */
  JsonObject info() throws Exception {
    return await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.workerInfo(), null, REQUEST).map(msg -> msg.body()));
  }

  /** An averaged load sample, as the load timer publishes it. */
  void publishLoad(double load, double perJob) {
    vertx.eventBus().publish(Addresses.DEFAULT.load(), new JsonObject().put("load", load).put("loadPerJob", perJob)
      .put("source", "chaos"));
  }

  /** Undeploys the pool (every child stopped, killed after pool.closeTimeoutMs) and closes Vert.x. */
  @Override
  public void close() throws Exception {
    try {
      if (deploymentId != null) {
        await(vertx.undeploy(deploymentId));
        deploymentId = null;
      }
    } finally {
      await(vertx.close());
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }
}
