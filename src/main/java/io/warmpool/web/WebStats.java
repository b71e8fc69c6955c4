package io.warmpool.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.warmpool.bus.RejectReason;
import io.warmpool.metrics.OwnedMeters;
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
  final Counter silentClosed;
  final Counter requestTimeouts;
  /** Slow clients closed: one line per {@link RateLimitedLog#INTERVAL_MS} at most, however many misbehave. */
  final RateLimitedLog slowClients = new RateLimitedLog(LOG);
  /** Clients closed for not answering pings, likewise. */
  final RateLimitedLog silentClients = new RateLimitedLog(LOG);
  private final MeterRegistry registry;
  private final Tags poolTag;
  /** What this one registered, removed again by {@link #close()}. */
  private final OwnedMeters meters;
  /** What {@code GET /health} would answer now ({@link HealthStatus}); empty until the pool's first state. */
  private volatile String status = "";
  /** Bytes queued for all WebSocket clients: what {@code web.sendQueueTotalBytes} bounds. Written on the event loop only. */
  long queuedBytes;

  /** @param pool the pool's name ({@code bus.prefix}), the series' {@code pool} tag, as the pool's own have it */
  WebStats(MeterRegistry registry, String pool, Set<WsSession> sessions) {
    this.registry = registry;
    this.meters = new OwnedMeters(registry);
    this.poolTag = Tags.of("pool", pool);
    meters.own(Gauge.builder("warmpool.ws.connections", sessions, Set::size)
      .description("Open WebSocket connections")
      .tags(poolTag)
      .register(registry));
    // read off the event loop by a scrape: a figure a moment old is good enough
    meters.own(Gauge.builder("warmpool.ws.queued.bytes", this, stats -> stats.queuedBytes)
      .description("Bytes queued for WebSocket clients, not yet handed to the network")
      .baseUnit("bytes")
      .tags(poolTag)
      .register(registry));
    meters.own(Gauge.builder("warmpool.ws.paused.clients", sessions, s -> s.stream().filter(WsSession::readingPaused).count())
      .description("WebSocket clients whose frames are not read because they do not take what is queued for them")
      .tags(poolTag)
      .register(registry));
    droppedFrames = meters.own(Counter.builder("warmpool.ws.dropped.frames")
      .description("State and output frames dropped for clients that did not keep up")
      .tags(poolTag)
      .register(registry));
    silentClosed = meters.own(Counter.builder("warmpool.ws.silent.closed")
      .description("WebSocket clients closed because they did not answer pings within web.pingTimeoutMs")
      .tags(poolTag)
      .register(registry));
    // what GET /health answers, as a series: Prometheus reads numbers, not a JSON body; read by a scrape off the event loop
    for (String each : HealthStatus.ALL) {
      meters.own(Gauge.builder("warmpool.status", this, stats -> each.equals(stats.status) ? 1 : 0)
        .description("1 for the status GET /health answers (available, full, draining, degraded), 0 for the others")
        .tag("status", each)
        .tags(poolTag)
        .register(registry));
    }
    // every reason at 0 from the start: Prometheus's rate() counts nothing of a series' first
    // sample, so a counter that appeared with its first rejection would hide it from an alert
    for (RejectReason reason : RejectReason.values()) {
      rejectedCounter(reason.wireName());
    }
    requestTimeouts = meters.own(Counter.builder("warmpool.web.request.timeouts")
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
    meters.own(Counter.builder("warmpool.ws.stalled.closed")
      .description("WebSocket clients closed because they did not take what was queued for them")
      .tag("reason", reason)
      .tags(poolTag)
      .register(registry))
      .increment();
  }

  void status(String healthStatus) {
    status = healthStatus;
  }

  /**
   * A submission of a WebSocket client rejected, by the reply's reason ({@code full},
   * {@code draining}, {@code degraded}, {@code capacity}, {@code too-large}, {@code duplicate}).
   * Counted here, where every submission of the worker's clients gets its reply, whichever node
   * of a cluster decided it.
   */
  void rejected(String reason) {
    rejectedCounter(reason).increment();
  }

  private Counter rejectedCounter(String reason) {
    return meters.own(Counter.builder("warmpool.ws.rejected")
      .description("Submissions of WebSocket clients rejected, by reason")
      .tag("reason", reason)
      .tags(poolTag)
      .register(registry));
  }

  /** A request refused before it was served: {@code host}, {@code origin} or {@code token}. */
  void refused(String reason) {
    meters.own(Counter.builder("warmpool.web.refused")
      .description("HTTP requests and WebSocket upgrades refused: a Host or Origin not allowed, or no valid token")
      .tag("reason", reason)
      .tags(poolTag)
      .register(registry))
      .increment();
  }


  /** Removes this one's series from the registry ({@link OwnedMeters}). */
  void close() {
    meters.close();
  }
}
