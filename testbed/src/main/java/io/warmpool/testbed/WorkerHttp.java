package io.warmpool.testbed;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The worker's HTTP endpoints a run uses besides {@code /ws}: {@code PUT /load} to drive the
 * load of a worker with {@code load.source} external, and {@code GET /metrics} to count the
 * pool's scaling. Same host and port as the WebSocket, with the run's token if it has one.
 * A failure comes back as an exception whose message says what to do about it, since it ends
 * up as-is among the run's problems.
 */
final class WorkerHttp {

  static final long ANSWER_WITHIN_MS = 2000;

  private final HttpClientAgent client;
  private final WorkerTarget target;

  WorkerHttp(Vertx vertx, WorkerTarget target) {
    this.target = target;
    this.client = vertx.createHttpClient(new HttpClientOptions()
      .setConnectTimeout((int) ANSWER_WITHIN_MS)
      .setSsl(target.ssl()));
  }

  /** Sets the worker's external load, 0..1. */
  Future<Void> putLoad(double load) {
    String body = String.format(Locale.ROOT, "%.4f", load);
    return send(HttpMethod.PUT, "/load", body).<Void>compose(answer -> switch (answer.status()) {
      case 200 -> Future.succeededFuture();
      case 409 -> Future.failedFuture("PUT /load answered 409: the worker's load.source is not external, so the scenario's "
        + "externalLoad cannot be set (" + answer.body() + ")");
      case 401 -> Future.failedFuture("PUT /load answered 401: the worker needs its token; give it in the URL, "
        + "ws://…/ws?token=…");
      default -> Future.failedFuture("PUT /load " + body + " answered " + answer.status() + ": " + answer.body());
    });
  }

  /** The worker's {@code /metrics} page, in the Prometheus text format. */
  Future<String> metrics() {
    return send(HttpMethod.GET, "/metrics", null).<String>compose(answer -> answer.status() == 200
      ? Future.succeededFuture(answer.body())
      : Future.failedFuture("GET /metrics answered " + answer.status()
        + (answer.status() == 401 ? ": the worker needs its token; give it in the URL, ws://…/ws?token=…" : "")));
  }

  Future<Void> close() {
    return client.close();
  }

  private record Answer(int status, String body) {
  }

  private Future<Answer> send(HttpMethod method, String path, String body) {
    RequestOptions request = new RequestOptions().setMethod(method).setHost(target.host()).setPort(target.port())
      .setURI(path).setSsl(target.ssl());
    if (target.token() != null) {
      request.addHeader("Authorization", "Bearer " + target.token());
    }
    if (body != null) {
      request.addHeader("Content-Type", "application/json");
    }
    return client.request(request)
      .compose(req -> body == null ? req.send() : req.send(body))
      .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b.toString())))
      // a worker that hangs must not hold the run: the caller decides what a missing answer means
      .timeout(ANSWER_WITHIN_MS, TimeUnit.MILLISECONDS)
      .recover(err -> Future.failedFuture(failure(method, path, err)));
  }

  private String failure(HttpMethod method, String path, Throwable err) {
    if (err instanceof java.util.concurrent.TimeoutException) {
      return method + " " + path + " got no answer from " + target.host() + ":" + target.port() + " within " + ANSWER_WITHIN_MS + " ms";
    }
    return method + " " + path + " to " + target.host() + ":" + target.port() + " failed: " + err.getMessage();
  }
}
