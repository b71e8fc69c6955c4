package io.warmpool.testbed;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * One client for the floor and the worker alike, so that their figures compare: over one
 * WebSocket, round trips one at a time with a gap between them (latency), or a fixed number
 * always outstanding (throughput). What a request and its answer are is the {@link Exchange}'s:
 * a text echoed back, or a submitted job and its {@code started} or terminal event.
 * Everything runs on the connection's event loop.
 */
final class RoundTrips {

  /** What one round trip sends, and which reply ends it. */
  interface Exchange {
    String request(long n);

    /** The request number {@code text} answers, or -1 if it answers none. */
    long answered(String text);
  }

  /** A text echoed back: the floor. */
  static Exchange echo() {
    return new Exchange() {
      @Override
      public String request(long n) {
        return Long.toString(n);
      }

      @Override
      public long answered(String text) {
        return Long.parseLong(text);
      }
    };
  }

  /**
   * An echo job submitted to the worker, answered by its {@code event} ({@code started} or
   * {@code completed}); job ids are {@code name-n}, so each exchange of a run needs its own name.
   */
  static Exchange job(String name, String event) {
    String prefix = name + "-";
    return new Exchange() {
      @Override
      public String request(long n) {
        String id = prefix + n;
        return new JsonObject().put("op", "submit").put("ref", id).put("jobId", id)
          .put("payload", new JsonObject().put("op", "echo").put("value", "bench")).encode();
      }

      @Override
      public long answered(String text) {
        JsonObject frame = new JsonObject(text);
        if ("rejected".equals(frame.getString("type"))) {
          throw new IllegalStateException("the worker rejected a job: " + text);
        }
        String jobId = frame.getString("jobId", "");
        if ("job".equals(frame.getString("type")) && event.equals(frame.getString("event")) && jobId.startsWith(prefix)) {
          return Long.parseLong(jobId.substring(prefix.length()));
        }
        return -1;
      }
    };
  }

  private final Vertx vertx;
  /** Held for as long as the connection is used: Vert.x closes a client nothing refers to any more. */
  private final WebSocketClient client;
  private final WebSocket ws;

  private RoundTrips(Vertx vertx, WebSocketClient client, WebSocket ws) {
    this.vertx = vertx;
    this.client = client;
    this.ws = ws;
  }

  static Future<RoundTrips> connect(Vertx vertx, int port) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20));
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws").setTimeout(10_000))
      .map(ws -> new RoundTrips(vertx, client, ws));
  }

  /** What is kept of each recorded round trip: the answer, when the request was written and when the answer was read. */
  interface Recorder {
    void record(String answer, long sentNanos, long readNanos);
  }

  /** A histogram of round trips in microseconds, up to a minute, to 3 significant digits. */
  static Histogram microseconds() {
    return new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
  }

  /** Records {@code nanos} in a histogram of {@link #microseconds()}; a longer time as its longest. */
  static void recordNanos(Histogram us, long nanos) {
    us.recordValue(Math.min(nanos / 1000, us.getHighestTrackableValue()));
  }

  /** {@code warmup} round trips unrecorded, then {@code count} recorded, one at a time, {@code gapMs} apart. */
  Future<Histogram> latency(Exchange exchange, int warmup, int count, long gapMs) {
    Histogram us = microseconds();
    return oneAtATime(exchange, warmup, count, gapMs, (answer, sent, read) -> recordNanos(us, read - sent)).map(us);
  }

  /**
   * {@code warmup} round trips unrecorded, then {@code count} given to {@code recorder}, one at a
   * time, {@code gapMs} apart. An answer is read at the moment it arrives, before the client looks
   * into it.
   */
  Future<Void> oneAtATime(Exchange exchange, int warmup, int count, long gapMs, Recorder recorder) {
    Promise<Void> done = Promise.promise();
    long[] n = {0};
    long[] sentNanos = {0};
    Runnable send = () -> {
      sentNanos[0] = System.nanoTime();
      ws.writeTextMessage(exchange.request(n[0]));
    };
    ws.textMessageHandler(text -> {
      long readNanos = System.nanoTime();
      if (answered(exchange, text, done) != n[0]) {
        return;
      }
      if (n[0] >= warmup) {
        try {
          recorder.record(text, sentNanos[0], readNanos);
        } catch (RuntimeException e) {
          // an answer the recorder cannot read ends the run with why, rather than leaving it to time out
          done.tryFail(e);
          return;
        }
      }
      if (++n[0] == warmup + count) {
        done.complete();
      } else {
        vertx.setTimer(gapMs, id -> send.run());
      }
    });
    send.run();
    return done.future();
  }

  /** Round trips answered per second with {@code inFlight} always outstanding, over {@code ms} after {@code warmupMs}. */
  Future<Double> throughput(Exchange exchange, int inFlight, long warmupMs, long ms) {
    Promise<Double> done = Promise.promise();
    long[] next = {0};
    long[] answeredCount = {0};
    long[] countedFrom = {-1};
    long startNanos = System.nanoTime();
    ws.textMessageHandler(text -> {
      if (answered(exchange, text, done) < 0) {
        return;
      }
      long now = System.nanoTime();
      long elapsed = now - startNanos;
      if (elapsed >= TimeUnit.MILLISECONDS.toNanos(warmupMs)) {
        if (countedFrom[0] < 0) {
          countedFrom[0] = now;
        }
        answeredCount[0]++;
        if (now - countedFrom[0] >= TimeUnit.MILLISECONDS.toNanos(ms)) {
          done.complete(answeredCount[0] / ((now - countedFrom[0]) / 1e9));
          return;
        }
      }
      ws.writeTextMessage(exchange.request(next[0]++));
    });
    for (int i = 0; i < inFlight; i++) {
      ws.writeTextMessage(exchange.request(next[0]++));
    }
    return done.future();
  }

  /** The request {@code text} answers; -1 for none, once {@code done} is complete, or when it fails {@code done}. */
  private static long answered(Exchange exchange, String text, Promise<?> done) {
    if (done.future().isComplete()) {
      return -1;
    }
    try {
      return exchange.answered(text);
    } catch (RuntimeException e) {
      done.tryFail(e);
      return -1;
    }
  }

  Future<Void> close() {
    return ws.close().eventually(client::close);
  }
}
