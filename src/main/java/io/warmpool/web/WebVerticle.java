package io.warmpool.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.WorkerStatus;
import io.warmpool.config.WorkerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's HTTP face. Everything it shows it asks the pool for over the event bus, so it
 * works the same for any verticle that speaks the bus contract.
 */
public final class WebVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WebVerticle.class);

  private final WorkerConfig config;
  private final PrometheusMeterRegistry registry;
  private HttpServer server;

  public WebVerticle(WorkerConfig config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.get("/worker").handler(this::worker);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    server = vertx.createHttpServer();
    return server.requestHandler(router)
      .listen(config.web().port(), config.web().host())
      .onSuccess(s -> LOG.info("listening on http://{}:{}", config.web().host(), s.actualPort()));
  }

  /** The port actually bound (differs from {@code web.port} when that is 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void health(RoutingContext ctx) {
    workerInfo()
      .onSuccess(info -> {
        boolean healthy = WorkerStatus.AVAILABLE.wireName().equals(info.getString("status"))
          || WorkerStatus.FULL.wireName().equals(info.getString("status"));
        boolean degraded = info.getBoolean("degraded", false);
        JsonObject body = new JsonObject().put("status", degraded ? "degraded" : info.getString("status"));
        ctx.response().setStatusCode(healthy && !degraded ? 200 : 503);
        ctx.json(body);
      })
      .onFailure(err -> unavailable(ctx, err));
  }

  private void worker(RoutingContext ctx) {
    workerInfo().onSuccess(ctx::json).onFailure(err -> unavailable(ctx, err));
  }

  private Future<JsonObject> workerInfo() {
    return vertx.eventBus().<JsonObject>request(Addresses.WORKER_INFO, null).map(msg -> msg.body());
  }

  private static void unavailable(RoutingContext ctx, Throwable err) {
    ctx.response().setStatusCode(503);
    ctx.json(new JsonObject().put("status", "unavailable").put("error", err.getMessage()));
  }
}
