package io.warmpool.embed;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.config.WorkerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.warmpool.Await.await;
import static io.warmpool.Await.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two pools with different bus prefixes in one Vert.x, each with its web endpoints, sharing one
 * meter registry: each answers its own addresses, runs its own jobs, keeps its own series.
 */
@ExtendWith(VertxExtension.class)
class TwoPoolsTest {

  private static WorkerConfig config(String prefix) throws Exception {
    return WorkerConfig.builder()
      .json(new JsonObject()
        .put("load", new JsonObject().put("source", "external"))
        .put("pool", new JsonObject().put("maxIdle", 1))
        .put("web", new JsonObject().put("port", 0))
        .put("bus", new JsonObject().put("prefix", prefix)))
      .build();
  }

  @Test
  void twoPrefixesRunSideBySideInOneVertx(Vertx vertx) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Warmpool alpha = await(Warmpool.deploy(vertx, new WarmpoolOptions().setConfig(config("alpha")).setWeb(true).setMeterRegistry(registry)));
    Warmpool beta = await(Warmpool.deploy(vertx, new WarmpoolOptions().setConfig(config("app.beta")).setWeb(true).setMeterRegistry(registry)));
    try {
      // each event stream is its own: alpha's job is never seen on beta's address
      List<String> seenOnBeta = new CopyOnWriteArrayList<>();
      await(vertx.eventBus().<JsonObject>consumer("app.beta.jobs.events", msg -> seenOnBeta.add(msg.body().getString("jobId"))).completion());

      SubmittedJob onAlpha = await(alpha.client().submit(new JsonObject().put("op", "echo").put("value", "a")));
      SubmittedJob onBeta = await(beta.client().submit(new JsonObject().put("op", "echo").put("value", "b")));

      assertThat(((JsonObject) await(onAlpha.outcome()).result()).getString("value")).isEqualTo("a");
      assertThat(((JsonObject) await(onBeta.outcome()).result()).getString("value")).isEqualTo("b");
      waitFor("beta's terminal event", () -> seenOnBeta.contains(onBeta.jobId()));
      assertThat(seenOnBeta).doesNotContain(onAlpha.jobId());

      // one registry, a series per pool
      String scrape = registry.scrape();
      assertThat(scrape).contains("warmpool_jobs_total{outcome=\"completed\",pool=\"alpha\"} 1.0",
        "warmpool_jobs_total{outcome=\"completed\",pool=\"app.beta\"} 1.0");
      // each its own web port and its own state behind it
      assertThat(alpha.webPort()).isPositive().isNotEqualTo(beta.webPort());
      assertThat(workerConfig(alpha.webPort()).getJsonObject("bus").getString("prefix")).isEqualTo("alpha");
      assertThat(workerConfig(beta.webPort()).getJsonObject("bus").getString("prefix")).isEqualTo("app.beta");
    } finally {
      await(alpha.close());
      await(beta.close());
    }
    waitFor("no child process left", () -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void aPoolDeployedAgainUnderItsNameReportsItsOwnState(Vertx vertx) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    WarmpoolOptions options = new WarmpoolOptions().setConfig(config("again")).setWeb(true).setMeterRegistry(registry);
    Warmpool first = await(Warmpool.deploy(vertx, options));
    waitFor("a warm process counted", () -> registry.get("warmpool.processes").tag("pool", "again").tag("state", "idle").gauge().value() == 1);
    await(first.close());

    // the application's registry outlives the pool: nothing of it stays, no gauge reads the old pool
    assertThat(registry.getMeters()).noneMatch(meter -> "again".equals(meter.getId().getTag("pool")));
    Warmpool second = await(Warmpool.deploy(vertx, options));
    try {
      waitFor("the new pool's warm process counted",
        () -> registry.get("warmpool.processes").tag("pool", "again").tag("state", "idle").gauge().value() == 1);
      assertThat(registry.get("warmpool.ws.connections").tag("pool", "again").gauge().value()).isZero();
    } finally {
      await(second.close());
    }
  }

  /** The {@code config} part of {@code GET /worker}. */
  private static JsonObject workerConfig(int port) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/worker")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return new JsonObject(response.body()).getJsonObject("config");
  }
}
