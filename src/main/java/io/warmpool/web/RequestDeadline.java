package io.warmpool.web;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

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
  private final Map<HttpConnection, Deadline> deadlines = new HashMap<>();

  /**
   * @param timer           the timer that closes the connection
   * @param betweenRequests armed after an answer: its client may just have no next request to send
   */
  private record Deadline(long timer, boolean betweenRequests) {
  }

  RequestDeadline(Vertx vertx, long timeoutMs, Counter expired) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.expired = expired;
  }

  /** The server's connection handler: a new connection has {@code timeoutMs} for its first request. */
  void opened(HttpConnection connection) {
    arm(connection, false);
    connection.closeHandler(v -> cancel(connection));
  }

  /**
   * The first route handler: the request's head has come, and it has {@code timeoutMs} to be
   * received and answered; once answered, the next request has as long.
   */
  void started(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    if (deadlines.containsKey(connection)) {
      arm(connection, false);
      ctx.addEndHandler(ended -> {
        if (deadlines.containsKey(connection)) {
          arm(connection, true);
        }
      });
    }
    ctx.next();
  }

  /** The connection is a WebSocket now: no more requests on it. */
  void upgraded(HttpConnection connection) {
    cancel(connection);
  }

  private void arm(HttpConnection connection, boolean betweenRequests) {
    Deadline previous = deadlines.put(connection, new Deadline(vertx.setTimer(timeoutMs, id -> expire(connection)), betweenRequests));
    if (previous != null) {
      vertx.cancelTimer(previous.timer());
    }
  }

  private void cancel(HttpConnection connection) {
    Deadline deadline = deadlines.remove(connection);
    if (deadline != null) {
      vertx.cancelTimer(deadline.timer());
    }
  }

  private void expire(HttpConnection connection) {
    Deadline deadline = deadlines.remove(connection);
    String client = String.valueOf(connection.remoteAddress());
    if (deadline != null && deadline.betweenRequests()) {
      LOG.debug("closing idle kept-alive HTTP connection from {} (web.requestTimeoutMs)", client);
    } else {
      expired.increment();
      log.log(() -> "closing HTTP connection from " + client + ": no whole request answered within "
        + timeoutMs + " ms (web.requestTimeoutMs)");
    }
    connection.close();
  }
}
