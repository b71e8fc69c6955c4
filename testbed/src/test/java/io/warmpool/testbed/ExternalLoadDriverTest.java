package io.warmpool.testbed;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import static io.warmpool.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run's side of {@code PUT /load} and {@code /metrics}, against a stand-in for the worker's
 * HTTP port that answers as told and keeps what it was asked.
 */
@ExtendWith(VertxExtension.class)
class ExternalLoadDriverTest {

  static final ExternalLoad WAVE = new ExternalLoad.Square(0.7, 0.8, 6000);

  record Request(String method, String path, String authorization, String contentType, String body) {
  }

  record Answer(int status, String body) {
  }

  /** Records each request, answers it, and completes {@code reached} once {@code count} have come. */
  private static HttpServer fakeWorker(Vertx vertx, List<Request> seen, int count, Promise<Void> reached,
                                       Function<HttpServerRequest, Answer> answer) throws Exception {
    return await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      seen.add(new Request(req.method().name(), req.path(), req.getHeader("Authorization"), req.getHeader("Content-Type"),
        body.toString()));
      Answer a = answer.apply(req);
      req.response().setStatusCode(a.status()).putHeader("Content-Type", "application/json").end(a.body());
      if (seen.size() >= count) {
        reached.tryComplete();
      }
    })).listen(0, "127.0.0.1"));
  }

  /** Runs {@code action} on a Vert.x context, as the run does, and waits for its result. */
  private static <T> T onContext(Context context, Supplier<Future<T>> action) throws Exception {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(result));
    return await(result.future());
  }

  private static <T> String failureOf(Context context, Supplier<Future<T>> action) throws Exception {
    return onContext(context, () -> action.get().transform(ar -> Future.succeededFuture(
      ar.failed() ? ar.cause().getMessage() : "succeeded")));
  }

  @Test
  void sendsTheWaveOneRequestAtATimeWithTheTokenUntilStopped(Vertx vertx) throws Exception {
    List<Request> seen = new CopyOnWriteArrayList<>();
    Promise<Void> fourSeen = Promise.promise();
    HttpServer server = fakeWorker(vertx, seen, 4, fourSeen, req -> new Answer(200, "{\"load\":0.7}"));
    WorkerHttp http = new WorkerHttp(vertx, new WorkerTarget("127.0.0.1", server.actualPort(), "/ws", false, "s3cret"));
    List<String> problems = new CopyOnWriteArrayList<>();
    // each request reads the wave 1.5 s further on than the one before: low, low, high, high, low, …
    AtomicLong clock = new AtomicLong(-1500);
    ExternalLoadDriver driver = new ExternalLoadDriver(vertx, http, WAVE, () -> clock.addAndGet(1500), problems::add);
    Context context = vertx.getOrCreateContext();

    context.runOnContext(v -> driver.start());
    await(fourSeen.future());
    onContext(context, driver::stop);

    assertThat(problems).isEmpty();
    assertThat(seen.subList(0, 4)).extracting(Request::body).containsExactly("0.7000", "0.7000", "0.8000", "0.8000");
    assertThat(seen).allSatisfy(r -> {
      assertThat(r.method()).isEqualTo("PUT");
      assertThat(r.path()).isEqualTo("/load");
      assertThat(r.authorization()).isEqualTo("Bearer s3cret");
      assertThat(r.contentType()).isEqualTo("application/json");
    });
    // stop completes once the request in flight is answered: every request the worker saw was counted
    assertThat(driver.sent()).isEqualTo(seen.size());
    await(http.close());
    await(server.close());
  }

  @Test
  void aWorkerWhoseLoadSourceIsNotExternalIsOneProblemAndEndsTheDriving(Vertx vertx) throws Exception {
    List<Request> seen = new CopyOnWriteArrayList<>();
    HttpServer server = fakeWorker(vertx, seen, 1, Promise.promise(), req -> new Answer(409,
      "{\"error\":\"load.source is cpu: the load can be set from outside only with load.source external\"}"));
    WorkerHttp http = new WorkerHttp(vertx, new WorkerTarget("127.0.0.1", server.actualPort(), "/ws", false, null));
    List<String> problems = new CopyOnWriteArrayList<>();
    Promise<String> problem = Promise.promise();
    ExternalLoadDriver driver = new ExternalLoadDriver(vertx, http, WAVE, () -> 0L, message -> {
      problems.add(message);
      problem.tryComplete(message);
    });
    Context context = vertx.getOrCreateContext();

    context.runOnContext(v -> driver.start());
    String message = await(problem.future());
    onContext(context, driver::stop);

    assertThat(message).startsWith("the external load could not be set: PUT /load answered 409: the worker's load.source "
      + "is not external").contains("load.source is cpu");
    // the driving ended with the failure: no second request, no second problem
    assertThat(problems).containsExactly(message);
    assertThat(seen).hasSize(1);
    assertThat(driver.sent()).isZero();
    await(http.close());
    await(server.close());
  }

  @Test
  void metricsComeAsThePageAndARefusedTokenSaysWhatToDo(Vertx vertx) throws Exception {
    List<Request> seen = new CopyOnWriteArrayList<>();
    HttpServer server = fakeWorker(vertx, seen, 1, Promise.promise(), req -> "Bearer s3cret".equals(req.getHeader("Authorization"))
      ? new Answer(200, ScalingCountsTest.PAGE)
      : new Answer(401, "{\"type\":\"error\",\"code\":\"unauthorized\"}"));
    WorkerHttp withToken = new WorkerHttp(vertx, new WorkerTarget("127.0.0.1", server.actualPort(), "/ws", false, "s3cret"));
    WorkerHttp without = new WorkerHttp(vertx, new WorkerTarget("127.0.0.1", server.actualPort(), "/ws", false, null));
    Context context = vertx.getOrCreateContext();

    String page = onContext(context, withToken::metrics);
    String refusedMetrics = failureOf(context, without::metrics);
    String refusedLoad = failureOf(context, () -> without.putLoad(0.5));

    assertThat(ScalingCounts.parse(page).spawns()).isEqualTo(16);
    assertThat(seen.get(0)).isEqualTo(new Request("GET", "/metrics", "Bearer s3cret", null, ""));
    assertThat(refusedMetrics).startsWith("GET /metrics answered 401").contains("token");
    assertThat(refusedLoad).startsWith("PUT /load answered 401").contains("?token=");
    await(withToken.close());
    await(without.close());
    await(server.close());
  }

  @Test
  void aWorkerThatIsNotThereIsNamedWithItsAddress(Vertx vertx) throws Exception {
    // a port that was free a moment ago: nothing listens on it now
    HttpServer gone = await(vertx.createHttpServer().requestHandler(req -> req.response().end()).listen(0, "127.0.0.1"));
    int port = gone.actualPort();
    await(gone.close());
    WorkerHttp http = new WorkerHttp(vertx, new WorkerTarget("127.0.0.1", port, "/ws", false, null));

    String failure = failureOf(vertx.getOrCreateContext(), () -> http.putLoad(0.7));

    assertThat(failure).startsWith("PUT /load to 127.0.0.1:" + port + " failed: ");
    await(http.close());
  }
}
