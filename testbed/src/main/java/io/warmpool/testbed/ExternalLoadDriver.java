package io.warmpool.testbed;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Keeps a worker's external load on a scenario's {@link ExternalLoad}: sends its value with
 * {@code PUT /load} at once and then every {@value #EVERY_MS} ms, from the start of the load
 * until the run ends. The worker keeps the latest value and averages its samples, so sending
 * more often than it samples ({@code load.intervalMs}, 500 ms by default) makes a step of the
 * wave show in its next sample.
 *
 * <p>One request at a time: a tick while the last one is unanswered is skipped, so values
 * never arrive out of order. The first failed request is reported and ends the driving, since
 * a load that is no longer set makes the rest of the run measure something else. Used from
 * the run's one context.
 */
final class ExternalLoadDriver {

  /** Under the 250 ms the testbed promises, with room for a late timer. */
  static final long EVERY_MS = 200;

  private final Vertx vertx;
  private final WorkerHttp http;
  private final ExternalLoad load;
  private final LongSupplier elapsedMs;
  private final Consumer<String> onProblem;
  private long timer = -1;
  /** Completes (never fails) when the last request has its answer or its failure. */
  private Future<Void> inFlight = Future.succeededFuture();
  private boolean stopped;
  private long sent;

  /**
   * @param elapsedMs ms since the load started, the wave's time
   * @param onProblem told once, with a message for the run's problems, if a request fails
   */
  ExternalLoadDriver(Vertx vertx, WorkerHttp http, ExternalLoad load, LongSupplier elapsedMs, Consumer<String> onProblem) {
    this.vertx = vertx;
    this.http = http;
    this.load = load;
    this.elapsedMs = elapsedMs;
    this.onProblem = onProblem;
  }

  void start() {
    send();
    timer = vertx.setPeriodic(EVERY_MS, id -> send());
  }

  /** Stops sending; completes once the request in flight, if any, has been answered. */
  Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return inFlight;
  }

  /** Requests answered with success. */
  long sent() {
    return sent;
  }

  private void send() {
    if (stopped || !inFlight.isComplete()) {
      return;
    }
    double value = load.at(elapsedMs.getAsLong());
    Promise<Void> answered = Promise.promise();
    inFlight = answered.future();
    http.putLoad(value).onComplete(ar -> {
      if (ar.succeeded()) {
        sent++;
      } else if (!stopped) {
        stopped = true;
        vertx.cancelTimer(timer);
        onProblem.accept("the external load could not be set: " + ar.cause().getMessage());
      }
      answered.complete();
    });
  }
}
