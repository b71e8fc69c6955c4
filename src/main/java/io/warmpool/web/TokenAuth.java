package io.warmpool.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code web.token}: a request carries it as {@code Authorization: Bearer …} or {@code ?token=…}.
 * Compared in constant time, so response timing does not leak how much of a guess was right.
 */
final class TokenAuth {

  private final byte[] token;

  /** @param token {@code null} for no auth */
  TokenAuth(String token) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
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

  /** A route handler that answers 401 to a request without the token. */
  void require(RoutingContext ctx) {
    if (allows(ctx.request())) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer");
      ctx.json(new JsonObject().put("type", "error").put("code", ErrorCode.UNAUTHORIZED.wireName)
        .put("message", "this endpoint needs the worker's token (Authorization: Bearer … or ?token=…)"));
    }
  }
}
