package io.warmpool.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Asks the worker {@code GET /health} every {@value #PERIOD_MS} ms on a thread of its own (not
 * an event loop, which the misbehaving clients keep busy), each with a {@value #TIMEOUT_MS} ms
 * timeout, and keeps the latencies: what a Kubernetes probe would see.
 *
 * <p>A request that times out is counted, and recorded at the time it waited. The run's own
 * forced GCs ({@link #withoutProbe}) happen with no request in flight: that pause is the
 * run's doing, not the worker's.
 */
final class HealthProbe {

  static final long PERIOD_MS = 100;
  static final long TIMEOUT_MS = 1000;
  static final long SLOW_MS = 100;

  /** What the probe saw; latencies in ms. */
  record Figures(long requests, double p50Ms, double p99Ms, double maxMs, long slow, long timeouts, long failures,
                 long notOk, String firstFailure) {
  }

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofMillis(TIMEOUT_MS)).build();
  private final HttpRequest request;
  private final ReentrantLock inFlight = new ReentrantLock();
  private final Thread thread;
  private final Histogram latencyUs = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
  private long requests;
  private long slow;
  private long timeouts;
  private long failures;
  private long notOk;
  private String firstFailure;
  private volatile boolean stopped;

  HealthProbe(int port) {
    request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
      .timeout(Duration.ofMillis(TIMEOUT_MS)).GET().build();
    thread = new Thread(this::run, "soak-health-probe");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void stop() throws InterruptedException {
    stopped = true;
    thread.join(2 * TIMEOUT_MS);
  }

  /** Runs {@code action} while no probe request is in flight, and holds the next one back until it is done. */
  <T> T withoutProbe(Callable<T> action) throws Exception {
    inFlight.lock();
    try {
      return action.call();
    } finally {
      inFlight.unlock();
    }
  }

  private void run() {
    long next = System.nanoTime();
    while (!stopped) {
      inFlight.lock();
      try {
        probe();
      } finally {
        inFlight.unlock();
      }
      next += TimeUnit.MILLISECONDS.toNanos(PERIOD_MS);
      long wait = next - System.nanoTime();
      if (wait <= 0) {
        // behind (a slow answer): the next request goes now, and the period counts from it
        next = System.nanoTime();
        continue;
      }
      try {
        // the probe's period, not a wait for an outcome
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void probe() {
    long start = System.nanoTime();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      record(System.nanoTime() - start, status == 200 ? null : "answered " + status);
    } catch (HttpTimeoutException e) {
      synchronized (this) {
        timeouts++;
      }
      record(System.nanoTime() - start, null);
    } catch (IOException e) {
      synchronized (this) {
        failures++;
        if (firstFailure == null) {
          firstFailure = e.toString();
        }
      }
    } catch (InterruptedException e) {
      stopped = true;
    }
  }

  private synchronized void record(long nanos, String notOkWhy) {
    requests++;
    long us = TimeUnit.NANOSECONDS.toMicros(nanos);
    latencyUs.recordValue(Math.min(latencyUs.getHighestTrackableValue(), us));
    if (us > TimeUnit.MILLISECONDS.toMicros(SLOW_MS)) {
      slow++;
    }
    if (notOkWhy != null) {
      notOk++;
      if (firstFailure == null) {
        firstFailure = notOkWhy;
      }
    }
  }

  synchronized Figures figures() {
    boolean none = latencyUs.getTotalCount() == 0;
    return new Figures(requests, none ? 0 : latencyUs.getValueAtPercentile(50) / 1000.0,
      none ? 0 : latencyUs.getValueAtPercentile(99) / 1000.0, none ? 0 : latencyUs.getMaxValue() / 1000.0,
      slow, timeouts, failures, notOk, firstFailure);
  }
}
