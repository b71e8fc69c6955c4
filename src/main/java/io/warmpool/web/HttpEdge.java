package io.warmpool.web;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.warmpool.config.WorkerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What every request but {@code GET /health} must show before anything looks at it, so that a
 * web page cannot make a visitor's browser act on the worker:
 * <ul>
 *   <li>its {@code Host} names the worker: {@code web.host}, a loopback name, or an entry of
 *       {@code web.allowedHosts} ({@code "*"}: any). A page that rebinds its own DNS name to
 *       127.0.0.1 still sends its own name, and is refused.</li>
 *   <li>its {@code Origin}, if it has one (browsers send it on every WebSocket and on requests
 *       that act), is the request's own ({@code scheme://} + its {@code Host}: the dashboard the
 *       worker serves) or an entry of {@code web.allowedOrigins}.</li>
 * </ul>
 * A request without a {@code Host} or {@code Origin} does not come from a browser (a browser
 * cannot leave them out), so it is not held to them. A refused request gets 403 with a short
 * reason; refusals are counted ({@code warmpool_web_refused_total}) and logged, one line per
 * {@link RateLimitedLog#INTERVAL_MS} per kind at most.
 */
final class HttpEdge {

  private static final Logger LOG = LoggerFactory.getLogger(HttpEdge.class);
  static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]");

  private final boolean anyHost;
  private final Set<String> hosts = new HashSet<>();
  private final List<String> origins;
  private final WebStats stats;
  private final RateLimitedLog hostLog = new RateLimitedLog(LOG);
  private final RateLimitedLog originLog = new RateLimitedLog(LOG);

  /**
   * @param advertisedHost the host other nodes link to this one by ({@code cluster.host} when
   *                       {@code web.host} is a wildcard address), or {@code null}
   */
  HttpEdge(WorkerConfig.Web web, String advertisedHost, WebStats stats) {
    this.anyHost = web.allowedHosts().contains("*");
    hosts.addAll(LOOPBACK_NAMES);
    if (!WebVerticle.isWildcard(web.host())) {
      hosts.add(hostName(web.host().contains(":") && !web.host().startsWith("[") ? "[" + web.host() + "]" : web.host()));
    }
    if (advertisedHost != null) {
      hosts.add(hostName(advertisedHost));
    }
    web.allowedHosts().forEach(h -> hosts.add(hostName(h)));
    this.origins = web.allowedOrigins();
    this.stats = stats;
  }

  /** A route handler: passes the request on, or answers it 403. */
  void check(RoutingContext ctx) {
    String host = ctx.request().getHeader(HttpHeaders.HOST);
    if (host != null && !anyHost && !hosts.contains(hostName(host))) {
      refuse(ctx, "host", hostLog, "Host " + ClientText.quote(host)
        + " is not a name of this worker (web.host, localhost, web.allowedHosts)");
      return;
    }
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (origin != null && !sameOrigin(origin, host) && !origins.contains(origin)) {
      refuse(ctx, "origin", originLog, "Origin " + ClientText.quote(origin)
        + " is neither this worker's own nor in web.allowedOrigins");
      return;
    }
    ctx.next();
  }

  private void refuse(RoutingContext ctx, String kind, RateLimitedLog log, String reason) {
    stats.refused(kind);
    String from = String.valueOf(ctx.request().remoteAddress());
    String what = ctx.request().method() + " " + ClientText.quote(ctx.request().path());
    log.log(() -> "refused " + what + " from " + from + ": " + reason);
    ctx.response().setStatusCode(403);
    ctx.json(new JsonObject().put("type", "error").put("code", "forbidden").put("message", reason));
  }

  /** The page the request comes from is the worker's own: its origin is this very Host. */
  private static boolean sameOrigin(String origin, String host) {
    return host != null && (origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host));
  }

  /** A Host header or a configured host without its port, lower case, without a final dot. */
  static String hostName(String host) {
    String name = host.trim();
    if (name.startsWith("[")) {
      int end = name.indexOf(']');
      name = end < 0 ? name : name.substring(0, end + 1);
    } else {
      int colon = name.indexOf(':');
      name = colon < 0 ? name : name.substring(0, colon);
    }
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    return name.toLowerCase(Locale.ROOT);
  }
}
