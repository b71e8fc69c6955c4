package io.warmpool.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the web side counts: connections, frames dropped under back-pressure, stalled clients
 * closed, requests refused at the edge.
 */
final class WebStats {

  private static final Logger LOG = LoggerFactory.getLogger(WsSession.class);

  final Counter droppedFrames;
  final Counter silentClosed;
  final Counter requestTimeouts;
  /** Slow clients closed: one line per {@link RateLimitedLog#INTERVAL_MS} at most, however many misbehave. */
  final RateLimitedLog slowClients = new RateLimitedLog(LOG);
  /** Clients closed for not answering pings, likewise. */
  final RateLimitedLog silentClients = new RateLimitedLog(LOG);
  private final MeterRegistry registry;
  private final Tags poolTag;
  /** What this one registered, removed again by {@link #close()}. */
  private final Set<Meter> meters = new LinkedHashSet<>();
  /** Bytes queued for all WebSocket clients: what {@code web.sendQueueTotalBytes} bounds. Written on the event loop only. */
  long queuedBytes;

  /** @param pool the pool's name ({@code bus.prefix}), the series' {@code pool} tag, as the pool's own have it */
  WebStats(MeterRegistry registry, String pool, Set<WsSession> sessions) {
    this.registry = registry;
    this.poolTag = Tags.of("pool", pool);
    own(Gauge.builder("warmpool.ws.connections", sessions, Set::size)
      .description("Open WebSocket connections")
      .tags(poolTag)
      .register(registry));
    // read off the event loop by a scrape: a figure a moment old is good enough
    own(Gauge.builder("warmpool.ws.queued.bytes", this, stats -> stats.queuedBytes)
      .description("Bytes queued for WebSocket clients, not yet handed to the network")
      .baseUnit("bytes")
      .tags(poolTag)
      .register(registry));
    own(Gauge.builder("warmpool.ws.paused.clients", sessions, s -> s.stream().filter(WsSession::readingPaused).count())
      .description("WebSocket clients whose frames are not read because they do not take what is queued for them")
      .tags(poolTag)
      .register(registry));
    droppedFrames = own(Counter.builder("warmpool.ws.dropped.frames")
      .description("State and output frames dropped for clients that did not keep up")
      .tags(poolTag)
      .register(registry));
    silentClosed = own(Counter.builder("warmpool.ws.silent.closed")
      .description("WebSocket clients closed because they did not answer pings within web.pingTimeoutMs")
      .tags(poolTag)
      .register(registry));
    requestTimeouts = own(Counter.builder("warmpool.web.request.timeouts")
      .description("HTTP connections closed because no whole request was received and answered within web.requestTimeoutMs")
      .tags(poolTag)
      .register(registry));
  }

  /**
   * A WebSocket client closed because it did not take what was queued for it: {@code stalled}
   * (over the pause mark for web.stallCloseMs), {@code client} (past web.sendQueueMaxBytes) or
   * {@code total} (all clients past web.sendQueueTotalBytes).
   */
  void slowClosed(String reason) {
    own(Counter.builder("warmpool.ws.stalled.closed")
      .description("WebSocket clients closed because they did not take what was queued for them")
      .tag("reason", reason)
      .tags(poolTag)
      .register(registry))
      .increment();
  }

  /** A request refused before it was served: {@code host}, {@code origin} or {@code token}. */
  void refused(String reason) {
    own(Counter.builder("warmpool.web.refused")
      .description("HTTP requests and WebSocket upgrades refused: a Host or Origin not allowed, or no valid token")
      .tag("reason", reason)
      .tags(poolTag)
      .register(registry))
      .increment();
  }

  private <M extends Meter> M own(M meter) {
    meters.add(meter);
    return meter;
  }

  /**
   * Removes this one's series from the registry: a registry outlives a pool embedded in an
   * application, and a pool deployed again under the same name would otherwise be handed the
   * old gauges, which read the old pool's state.
   */
  void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
