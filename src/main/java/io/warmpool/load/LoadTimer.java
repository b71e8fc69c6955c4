package io.warmpool.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;

/**
 * The periodic load timer: every {@code intervalMs} it samples the source on a worker thread,
 * clamps the sample into 0..1, averages the last {@code window} samples and publishes
 * <pre>{"load":avg,"raw":clamped,"source":name,"loadPerJob":hint,"at":epochMillis}</pre>
 * on {@code <prefix>.load}.
 * <p>
 * Samples never overlap: a tick that comes while the previous sample still runs is skipped, so
 * a slow source is sampled less often rather than piled up on the worker pool, and a source
 * needs no locking of its own. A tick finding the source without a load yet
 * ({@link LoadSource#hasLoad()}) samples and publishes nothing.
 * <p>
 * Owned by a verticle ({@link LoadVerticle}): create and {@link #start()} it in the verticle's
 * start, {@link #stop()} it in its stop. Everything runs on the context {@code start()} was
 * called on. The timer owns the source: {@code stop()} closes it.
 */
public final class LoadTimer {

  private static final Logger log = LoggerFactory.getLogger(LoadTimer.class);

  private final Vertx vertx;
  private final LoadSource source;
  private final String address;
  private final long intervalMs;
  private final LoadClamp clamp;
  private final MovingAverage average;
  private final LogThrottle failures = new LogThrottle(60_000, System::currentTimeMillis);

  private volatile Context context;
  private long timerId = -1;
  private volatile boolean stopped;
  private Future<Double> inFlight;

  /**
   * @param intervalMs time between samples, at least 1 ({@code load.intervalMs})
   * @param window     how many samples are averaged, at least 1 ({@code load.window})
   * @param address    where samples are published: the pool's {@code <prefix>.load}
   */
  public LoadTimer(Vertx vertx, LoadSource source, long intervalMs, int window, String address) {
    if (intervalMs < 1) {
      throw new IllegalArgumentException("load.intervalMs must be at least 1, was " + intervalMs);
    }
    this.vertx = vertx;
    this.source = source;
    this.address = address;
    this.intervalMs = intervalMs;
    this.clamp = new LoadClamp(source.name());
    this.average = new MovingAverage(window);
  }

  /** Starts sampling on the calling context; the first sample comes after one interval. */
  public Future<Void> start() {
    if (context != null) {
      return Future.failedFuture(new IllegalStateException("load timer already started"));
    }
    context = vertx.getOrCreateContext();
    Promise<Void> started = Promise.promise();
    // set the timer from the context itself, so ticks and sample results all land on it
    context.runOnContext(v -> {
      if (!stopped) {
        timerId = vertx.setPeriodic(intervalMs, id -> tick());
      }
      started.complete();
    });
    return started.future();
  }

  /**
   * Stops sampling, waits for a sample still running, then closes the source. Nothing is
   * published after the returned future completes. Calling it again does nothing.
   */
  public Future<Void> stop() {
    if (context == null) {
      stopped = true;
      source.close();
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (stopped) {
        done.complete();
        return;
      }
      stopped = true;
      vertx.cancelTimer(timerId);
      Future<?> pending = inFlight == null ? Future.succeededFuture() : inFlight;
      pending.onComplete(ar -> {
        source.close();
        done.complete();
      });
    });
    return done.future();
  }

  private void tick() {
    if (inFlight != null) {
      log.debug("Load source '{}' is still sampling; skipping this tick", source.name());
      return;
    }
    if (!source.hasLoad()) {
      return;
    }
    Future<Double> sample;
    try {
      sample = context.executeBlocking(source::sample, false);
    } catch (RejectedExecutionException e) {
      // Vert.x is closing and its worker pool is gone, but a timer not owned by a verticle
      // may still fire: there is nothing left to sample for
      vertx.cancelTimer(timerId);
      return;
    }
    inFlight = sample;
    sample.onComplete(ar -> {
      inFlight = null;
      if (stopped) {
        return;
      }
      if (ar.succeeded()) {
        publish(ar.result());
      } else if (failures.allow()) {
        long heldBack = failures.takeSuppressed();
        log.warn("Load source '{}' failed to sample{}; no sample published", source.name(),
          heldBack > 0 ? " (" + heldBack + " more failures since the last warning)" : "", ar.cause());
      }
    });
  }

  private void publish(double raw) {
    double clamped = clamp.clamp(raw);
    double avg = average.add(clamped);
    vertx.eventBus().publish(address, new JsonObject()
      .put("load", avg)
      .put("raw", clamped)
      .put("source", source.name())
      .put("loadPerJob", source.loadPerJobHint())
      .put("at", System.currentTimeMillis()),
      // a node's load is its own: in a cluster it must not reach the other nodes' pools
      new DeliveryOptions().setLocalOnly(true));
  }
}
