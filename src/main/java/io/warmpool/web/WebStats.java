package io.warmpool.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Set;

/** What the WebSocket side counts: connections, frames dropped under back-pressure, stalled clients closed. */
final class WebStats {

  final Counter droppedFrames;
  final Counter stalledClosed;

  WebStats(MeterRegistry registry, Set<WsSession> sessions) {
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
}
