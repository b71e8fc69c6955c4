package io.warmpool.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * What the web side counts: connections, frames dropped under back-pressure, stalled clients
 * closed, requests refused at the edge.
 */
final class WebStats {

  private static final Logger LOG = LoggerFactory.getLogger(WsSession.class);

  final Counter droppedFrames;
  final Counter stalledClosed;
  final Counter silentClosed;
  final Counter requestTimeouts;
  /** Slow clients closed: one line per {@link RateLimitedLog#INTERVAL_MS} at most, however many misbehave. */
  final RateLimitedLog slowClients = new RateLimitedLog(LOG);
  /** Clients closed for not answering pings, likewise. */
  final RateLimitedLog silentClients = new RateLimitedLog(LOG);
  private final MeterRegistry registry;

  WebStats(MeterRegistry registry, Set<WsSession> sessions) {
    this.registry = registry;
    Gauge.builder("warmpool.ws.connections", sessions, Set::size)
      .description("Open WebSocket connections")
      .register(registry);
    // read off the event loop by a scrape: a figure a moment old is good enough
    Gauge.builder("warmpool.ws.queued.bytes", sessions, s -> s.stream().mapToLong(WsSession::queuedBytes).sum())
      .description("Bytes queued for WebSocket clients, not yet handed to the network")
      .baseUnit("bytes")
      .register(registry);
    droppedFrames = Counter.builder("warmpool.ws.dropped.frames")
      .description("State and output frames dropped for clients that did not keep up")
      .register(registry);
    stalledClosed = Counter.builder("warmpool.ws.stalled.closed")
      .description("WebSocket clients closed because they stopped reading (for web.stallCloseMs, or past web.sendQueueMaxBytes)")
      .register(registry);
    silentClosed = Counter.builder("warmpool.ws.silent.closed")
      .description("WebSocket clients closed because they did not answer pings within web.pingTimeoutMs")
      .register(registry);
    requestTimeouts = Counter.builder("warmpool.web.request.timeouts")
      .description("HTTP connections closed because no whole request was received and answered within web.requestTimeoutMs")
      .register(registry);
  }

  /** A request refused before it was served: {@code host}, {@code origin} or {@code token}. */
  void refused(String reason) {
    Counter.builder("warmpool.web.refused")
      .description("HTTP requests and WebSocket upgrades refused: a Host or Origin not allowed, or no valid token")
      .tag("reason", reason)
      .register(registry)
      .increment();
  }
}
