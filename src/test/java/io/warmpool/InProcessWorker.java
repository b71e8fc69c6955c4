package io.warmpool;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;
import io.warmpool.pool.PoolVerticle;
import io.warmpool.web.WebVerticle;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.warmpool.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker in the test's JVM as its clients see it: the pool (real child processes, the test
 * entrypoints on their class path) and the web verticle on a port of 127.0.0.1 that stays the
 * same when the web verticle is restarted ({@link #restartWeb}), for the clients' tests
 * (io.warmpool.client, io.warmpool.cli). Its own Vert.x, closed with it.
 */
public final class InProcessWorker implements AutoCloseable {

  /** Workers not closed yet: the last one closed checks that no child process is left. */
  private static final AtomicInteger OPEN = new AtomicInteger();
  public final Vertx vertx = Vertx.vertx();
  public final WorkerConfig config;
  public final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  public final int port;
  private final String pool;
  private String web;

  private InProcessWorker(JsonObject overrides) throws Exception {
    port = RunningWorker.freePort();
    JsonObject all = new JsonObject()
      .put("web", new JsonObject().put("port", port))
      .put("load", new JsonObject().put("source", "external").put("window", 1))
      .put("pool", new JsonObject().put("maxIdle", 1))
      .put("child", new JsonObject().put("classpath", new JsonArray().add(TestChildren.testClasses())))
      .mergeIn(overrides, true);
    config = ConfigLoader.fromJson(all, Map.of());
    OPEN.incrementAndGet();
    pool = await(vertx.deployVerticle(new PoolVerticle(config, registry)));
    web = await(vertx.deployVerticle(new WebVerticle(config, registry)));
  }

  /** A worker of the default configuration with these keys changed ({@code {"web":{"token":…}}}). */
  public static InProcessWorker start(JsonObject overrides) throws Exception {
    return new InProcessWorker(overrides);
  }

  public String url() {
    return "ws://127.0.0.1:" + port + "/ws";
  }

  /** Stops the web verticle (every WebSocket connection ends; the jobs go on) and starts it again on the same port. */
  public void restartWeb() throws Exception {
    await(vertx.undeploy(web));
    web = await(vertx.deployVerticle(new WebVerticle(config, registry)));
  }

  /** The sum of a meter's values over its tags. */
  public double metric(String name) {
    return registry.getMeters().stream()
      .filter(m -> m.getId().getName().equals(name))
      .mapToDouble(m -> m.measure().iterator().next().getValue())
      .sum();
  }

  @Override
  public void close() throws Exception {
    await(vertx.undeploy(web));
    await(vertx.undeploy(pool));
    await(vertx.close());
    if (OPEN.decrementAndGet() == 0) {
      assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count())
        .as("child processes left after the workers stopped").isZero();
    }
  }
}
