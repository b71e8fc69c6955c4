package io.warmpool.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.SubmissionCodec;
import io.warmpool.bus.BusFailure;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The worker's HTTP and WebSocket face: {@code /ws}, {@code /health}, {@code /worker},
 * {@code /metrics}, {@code PUT /load}, and the dashboard page at {@code /}. Everything it does it asks the pool for
 * over the event bus, so any verticle speaking the bus contract can do the same.
 */
public final class WebVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WebVerticle.class);
  private static final long CLUSTER_VIEW_TIMEOUT_MS = 500;
  private static final int MAX_LOAD_BODY_BYTES = 1024;
  /**
   * The page's scripts, styles and WebSocket are its own; {@code data:} images only for its
   * empty favicon (no favicon request, which would need the token).
   */
  static final String CONTENT_SECURITY_POLICY =
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private final WorkerConfig config;
  private final Addresses addresses;
  /** Where the pool's and the web's series go; {@code GET /metrics} serves it when it is a Prometheus one. */
  private final MeterRegistry registry;
  private TokenAuth auth;
  /** The values in force, for {@code GET /worker}; the token shows only as {@code tokenSet}. */
  private final JsonObject configInForce;
  private final JobFanout fanout = new JobFanout();
  private final Set<WsSession> sessions = ConcurrentHashMap.newKeySet();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private WebStats stats;
  private JsonObject lastState = new JsonObject();
  private HttpServer server;
  private RequestDeadline deadline;
  private DashboardAssets assets;

  public WebVerticle(WorkerConfig config, MeterRegistry registry) {
    this.config = config;
    this.addresses = Addresses.of(config.bus().prefix());
    this.registry = registry;
    this.configInForce = ConfigLoader.summary(config);
  }

  /** Whether {@code host} binds every interface rather than naming one. */
  static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /**
   * The host other nodes of a cluster show for this one's dashboard: {@code web.host}, or
   * {@code cluster.host} when the web binds every interface.
   */
  public static String advertisedHost(WorkerConfig config) {
    return isWildcard(config.web().host()) ? config.cluster().host() : config.web().host();
  }

  @Override
  public Future<?> start() {
    stats = new WebStats(registry, addresses.prefix(), sessions);
    auth = new TokenAuth(config.web().token(), stats);
    HttpEdge edge = new HttpEdge(config.web(), config.cluster().enabled() ? advertisedHost(config) : null, stats);
    // sessions send their submissions to the pool typed, read once at the socket
    SubmissionCodec.registerOn(vertx.eventBus());
    consumers.add(vertx.eventBus().consumer(addresses.jobsEvents(), msg -> fanout.onEvent(msg.body())));
    // job events come from any node of a cluster (a job may run elsewhere); the pool state is this node's own
    consumers.add(vertx.eventBus().<JsonObject>localConsumer(addresses.poolState(), msg -> {
      lastState = msg.body();
      stats.status(HealthStatus.of(msg.body()));
      sessions.forEach(s -> s.state(msg.body()));
    }));

    deadline = new RequestDeadline(vertx, config.web().requestTimeoutMs(), stats.requestTimeouts);
    Router router = Router.router(vertx);
    router.route().handler(deadline::started);
    router.route().handler(WebVerticle::securityHeaders);
    // only the status, for probes that name the worker by an address of their own (a pod's IP)
    router.get("/health").handler(this::health);
    router.route().handler(edge::check);
    router.get("/ws").handler(this::webSocket);
    // the dashboard page and its scripts hold no data, so they need no token; the page passes
    // the token on its own /ws connection. Read from the jar before the server listens
    router.get().handler(ctx -> assets.serve(ctx));
    router.route().handler(auth::require);
    router.get("/worker").handler(this::worker);
    router.get("/metrics").handler(metrics());
    router.put("/load").handler(BodyHandler.create().setBodyLimit(MAX_LOAD_BODY_BYTES)).handler(this::setLoad);

    int maxFrame = config.web().maxFrameBytes();
    server = vertx.createHttpServer(new HttpServerOptions()
      // a frame up to 4× the limit is read whole and answered with too-large; only beyond that
      // does the connection close, so a client learns what it did wrong
      .setMaxWebSocketFrameSize(Math.max(maxFrame * 4, 65536))
      .setMaxWebSocketMessageSize(maxFrame)
      // nothing read or written for this long: a stuck answer, a WebSocket that no longer even takes pings
      .setIdleTimeout(Math.toIntExact(config.web().idleTimeoutMs()))
      .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
      // no HTTP/2 over clear text: without it a connection is set up (and held to
      // web.requestTimeoutMs) as soon as it opens, not once it has sent a whole request head
      .setHttp2ClearTextEnabled(false));
    return vertx.executeBlocking(DashboardAssets::load)
      .compose(loaded -> {
        assets = loaded;
        return server.connectionHandler(deadline::opened).requestHandler(router)
          .listen(config.web().port(), config.web().host());
      })
      .onSuccess(s -> {
        LOG.info("listening on http://{}:{}", config.web().host(), s.actualPort());
        if (!auth.enabled() && !config.web().loopbackOnly()) {
          LOG.warn("no web.token and web.allowUnauthenticated: /ws, /worker, /metrics and PUT /load are open to anyone "
            + "who can reach {}", config.web().host());
        } else if (!auth.enabled()) {
          LOG.info("no web.token set: /ws, /worker and /metrics are open to any program on this machine");
        }
      });
  }

  /**
   * On every answer: the dashboard runs only its own scripts and styles and cannot be framed (it
   * can submit and cancel jobs, so a framing page could click for the user), no answer is
   * sniffed into another type, and no address (with a {@code ?token=}) leaves as a referrer.
   */
  private static void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
      .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
      .set("X-Content-Type-Options", "nosniff")
      .set("X-Frame-Options", "DENY")
      .set("Referrer-Policy", "no-referrer");
    ctx.next();
  }

  @Override
  public Future<?> stop() {
    consumers.forEach(MessageConsumer::unregister);
    return server.close().onComplete(closed -> stats.close());
  }

  /**
   * {@code GET /metrics}: the registry in Prometheus text; an application that embeds the pool
   * with a registry of another kind publishes it its own way.
   */
  private Handler<RoutingContext> metrics() {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      return PrometheusScrapingHandler.create(prometheus);
    }
    return ctx -> ctx.response().setStatusCode(404)
      .end("the metrics of this pool go to the application's " + registry.getClass().getSimpleName()
        + ", which is not a Prometheus registry: the application publishes them");
  }

  /** The port actually bound (differs from {@code web.port} when that is 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** {@code /ws}: a browser page from elsewhere was refused before this by {@link HttpEdge}. */
  private void webSocket(RoutingContext ctx) {
    if (sessions.size() >= config.web().maxConnections()) {
      ctx.response().setStatusCode(503).end("web.maxConnections (" + config.web().maxConnections() + ") reached");
      return;
    }
    boolean allowed = auth.allows(ctx.request());
    if (!allowed) {
      auth.refused(ctx.request());
    }
    // the upgrade must happen before any asynchronous step; a browser learns why only from a frame
    HttpConnection connection = ctx.request().connection();
    ctx.request().toWebSocket().onSuccess(ws -> {
      deadline.upgraded(connection);
      if (allowed) {
        open(ws);
        return;
      }
      vertx.setTimer(TokenAuth.FAILURE_DELAY_MS, id -> {
        if (!ws.isClosed()) {
          ws.writeTextMessage(FrameException.errorFrame(ErrorCode.UNAUTHORIZED, null,
            "this worker needs its token (" + TokenAuth.HOW + ")").encode());
          ws.close((short) 1008, "unauthorized");
        }
      });
    });
  }

  private void open(ServerWebSocket ws) {
    WsSession session = new WsSession(vertx, addresses, ws, fanout, stats, config.web(), () -> lastState);
    sessions.add(session);
    ws.textMessageHandler(session::onText);
    ws.binaryMessageHandler(buffer -> session.error(ErrorCode.BAD_REQUEST, "binary frames are not supported: send JSON text"));
    ws.exceptionHandler(err -> {
      if (err instanceof IllegalStateException) {
        // Vert.x drops a message over the size limit and reports it here; the socket stays open
        session.error(ErrorCode.TOO_LARGE, "a frame is limited to web.maxFrameBytes (" + config.web().maxFrameBytes() + " bytes)");
      } else {
        LOG.debug("WebSocket {}: {}", ws.remoteAddress(), err.toString());
      }
    });
    ws.closeHandler(v -> {
      sessions.remove(session);
      session.closed();
    });
    session.start();
  }

  private void health(RoutingContext ctx) {
    workerInfo()
      .onSuccess(info -> {
        String status = HealthStatus.of(info);
        ctx.response().setStatusCode(HealthStatus.healthy(status) ? 200 : 503);
        ctx.json(new JsonObject().put("status", status));
      })
      .onFailure(err -> unavailable(ctx, err));
  }

  private void worker(RoutingContext ctx) {
    if (!config.cluster().enabled()) {
      workerInfo()
        .map(info -> info.copy().put("config", configInForce.copy()))
        .onSuccess(ctx::json)
        .onFailure(err -> unavailable(ctx, err));
      return;
    }
    // in a cluster the dispatcher adds its view of the nodes
    Future<JsonObject> cluster = vertx.eventBus().<JsonObject>request(addresses.clusterView(), null,
        new DeliveryOptions().setLocalOnly(true).setSendTimeout(CLUSTER_VIEW_TIMEOUT_MS))
      .map(msg -> msg.body())
      .otherwiseEmpty();
    workerInfo()
      .map(info -> info.copy().put("config", configInForce.copy()))
      .compose(info -> cluster.map(view -> view == null ? info : info.put("cluster", view)))
      .onSuccess(ctx::json)
      .onFailure(err -> unavailable(ctx, err));
  }

  /**
   * {@code PUT /load}: the load of a worker with {@code load.source} external, for an outside
   * party that does not speak the event bus (a sidecar, a script, the testbed). The body is what
   * {@code <prefix>.load.external} takes: a number 0..1 or {@code {"load":n}}.
   */
  private void setLoad(RoutingContext ctx) {
    if (!"external".equals(config.load().source())) {
      ctx.response().setStatusCode(409);
      ctx.json(new JsonObject().put("error", "load.source is " + config.load().source()
        + ": the load can be set from outside only with load.source external"));
      return;
    }
    Object value;
    try {
      value = ctx.body().isEmpty() ? null : Json.decodeValue(ctx.body().buffer());
    } catch (DecodeException e) {
      value = null;
    }
    // checked here, so that nothing of a bad body reaches the load source's answer or its log
    Object load = value instanceof JsonObject object ? object.getValue("load") : value;
    if (!(load instanceof Number)) {
      ctx.response().setStatusCode(400);
      ctx.json(new JsonObject().put("error", "expected a number 0..1 or {\"load\":n} as JSON"));
      return;
    }
    vertx.eventBus().<JsonObject>request(addresses.loadExternal(), value, new DeliveryOptions().setLocalOnly(true))
      .onSuccess(reply -> ctx.json(reply.body()))
      .onFailure(err -> {
        boolean bad = err instanceof ReplyException reply && reply.failureCode() == BusFailure.BAD_REQUEST;
        ctx.response().setStatusCode(bad ? 400 : 503);
        ctx.json(new JsonObject().put("error", err.getMessage()));
      });
  }

  private Future<JsonObject> workerInfo() {
    return vertx.eventBus().<JsonObject>request(addresses.workerInfo(), null).map(msg -> msg.body());
  }

  private static void unavailable(RoutingContext ctx, Throwable err) {
    ctx.response().setStatusCode(503);
    ctx.json(new JsonObject().put("status", "unavailable").put("error", err.getMessage()));
  }
}
