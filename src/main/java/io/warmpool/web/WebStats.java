package io.warmpool.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Set;

/**
 * What the web side counts: connections, frames dropped under back-pressure, stalled clients
 * closed, requests refused at the edge.
 */
final class WebStats {

  final Counter droppedFrames;
  final Counter stalledClosed;
  private final MeterRegistry registry;

  WebStats(MeterRegistry registry, Set<WsSession> sessions) {
    this.registry = registry;
    Gauge.builder("warmpool.ws.connections", sessions, Set::size)
      .description("Open WebSocket connections")
      .register(registry);
    droppedFrames = Counter.builder("warmpool.ws.dropped.frames")
      .description("State and output frames dropped for clients that did not keep up")
      .register(registry);
    stalledClosed = Counter.builder("warmpool.ws.stalled.closed")
      .description("WebSocket clients closed because they stopped reading")
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
