package io.warmpool.web;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code web.requestTimeoutMs}: an HTTP connection must send a whole request (its line, its
 * headers, its body) and have it answered within this, counted from when it opened or from its
 * previous answer; otherwise it is closed. A client that sends half a request, a byte now and
 * then, or nothing at all, holds a connection (a file descriptor) for this long at most, however
 * many it opens. A WebSocket upgrade ends it: pings watch a WebSocket. Used on the web verticle's
 * event loop only.
 *
 * <p>A kept-alive connection whose client simply has no next request (a scraper, a probe between
 * two calls) is closed the same way but quietly: only a connection that never had a whole
 * request answered, or is in the middle of one, is counted and logged.
 */
final class RequestDeadline {

  private static final Logger LOG = LoggerFactory.getLogger(RequestDeadline.class);

  private final Vertx vertx;
  private final long timeoutMs;
  private final Counter expired;
  private final RateLimitedLog log = new RateLimitedLog(LOG);
  /** Each connection that is held to the deadline, with its timer. */
  private final Map<HttpConnection, Long> timers = new HashMap<>();
  /** Connections between two requests, after an answer: their client may just have none to send. */
  private final Set<HttpConnection> betweenRequests = new HashSet<>();

  RequestDeadline(Vertx vertx, long timeoutMs, Counter expired) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.expired = expired;
  }

  /** The server's connection handler: a new connection has {@code timeoutMs} for its first request. */
  void opened(HttpConnection connection) {
    arm(connection);
    connection.closeHandler(v -> cancel(connection));
  }

  /**
   * The first route handler: the request's head has come, and it has {@code timeoutMs} to be
   * received and answered; once answered, the next request has as long.
   */
  void started(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    if (timers.containsKey(connection)) {
      betweenRequests.remove(connection);
      arm(connection);
      ctx.addEndHandler(ended -> {
        if (timers.containsKey(connection)) {
          betweenRequests.add(connection);
          arm(connection);
        }
      });
    }
    ctx.next();
  }

  /** The connection is a WebSocket now: no more requests on it. */
  void upgraded(HttpConnection connection) {
    cancel(connection);
  }

  private void arm(HttpConnection connection) {
    Long previous = timers.put(connection, vertx.setTimer(timeoutMs, id -> expire(connection)));
    if (previous != null) {
      vertx.cancelTimer(previous);
    }
  }

  private void cancel(HttpConnection connection) {
    betweenRequests.remove(connection);
    Long timer = timers.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private void expire(HttpConnection connection) {
    timers.remove(connection);
    String client = String.valueOf(connection.remoteAddress());
    if (betweenRequests.remove(connection)) {
      LOG.debug("closing idle kept-alive HTTP connection from {} (web.requestTimeoutMs)", client);
    } else {
      expired.increment();
      log.log(() -> "closing HTTP connection from " + client + ": no whole request answered within "
        + timeoutMs + " ms (web.requestTimeoutMs)");
    }
    connection.close();
  }
}
