package io.warmpool.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code web.token}: a request carries it as {@code Authorization: Bearer …} or {@code ?token=…}.
 * Compared in constant time, so response timing does not leak how much of a guess was right. A
 * request without it is counted ({@code warmpool_web_refused_total{reason="token"}}), logged (one
 * line per {@link RateLimitedLog#INTERVAL_MS} at most) and answered only after
 * {@link #FAILURE_DELAY_MS}, on a timer: guessing is slowed, the event loop is not.
 */
final class TokenAuth {

  private static final Logger LOG = LoggerFactory.getLogger(TokenAuth.class);
  static final long FAILURE_DELAY_MS = 1000;
  static final String HOW = "Authorization: Bearer … or ?token=…";

  private final byte[] token;
  private final WebStats stats;
  private final RateLimitedLog failures = new RateLimitedLog(LOG);

  /** @param token {@code null} for no auth */
  TokenAuth(String token, WebStats stats) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.stats = stats;
  }

  boolean enabled() {
    return token != null;
  }

  boolean allows(HttpServerRequest request) {
    if (token == null) {
      return true;
    }
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    String presented = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : request.getParam("token");
    return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
  }

  /** Counts and logs a request that did not carry the token; the caller answers it after {@link #FAILURE_DELAY_MS}. */
  void refused(HttpServerRequest request) {
    stats.refused("token");
    boolean presented = request.getHeader(HttpHeaders.AUTHORIZATION) != null || request.getParam("token") != null;
    String what = request.method() + " " + ClientText.quote(request.path());
    String from = String.valueOf(request.remoteAddress());
    failures.log(() -> "refused " + what + " from " + from + ": " + (presented ? "wrong token" : "no token"));
  }

  /** A route handler that answers 401, after {@link #FAILURE_DELAY_MS}, to a request without the token. */
  void require(RoutingContext ctx) {
    if (allows(ctx.request())) {
      ctx.next();
      return;
    }
    refused(ctx.request());
    ctx.vertx().setTimer(FAILURE_DELAY_MS, id -> {
      if (ctx.response().closed() || ctx.response().ended()) {
        return;
      }
      ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer");
      ctx.json(new JsonObject().put("type", "error").put("code", ErrorCode.UNAUTHORIZED.wireName)
        .put("message", "this endpoint needs the worker's token (" + HOW + ")"));
    });
  }
}
