package io.warmpool.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warmpool.Await;
import io.warmpool.client.ClientOptions;
import io.warmpool.client.JobOutcome;
import io.warmpool.client.JobRejectedException;
import io.warmpool.client.WarmpoolClient;
import io.warmpool.ops.OpsQueries.Kind;
import io.warmpool.ops.OpsQueries.Query;
import io.warmpool.testbed.WorkerProcess;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.warmpool.Await.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every query an operator is given ({@link OpsQueries}: the docs, the Kubernetes manifests, the
 * rules, the dashboard) run by a real Prometheus (Debian's, {@link RealPrometheus}) that scrapes
 * a real worker started from target/warmpool.jar as deploy/kubernetes/deployment.yaml and the
 * image configure it: {@code web.host} 0.0.0.0 with a token, scraped at this machine's own
 * address as Prometheus scrapes a pod at its IP. The worker runs echo jobs and rejects a few
 * (load 1.0 through {@code PUT /load}); then each query must return series with finite values,
 * each alert's selectors must, every rule must evaluate without error, and the figures must be
 * those of the jobs run. {@code make prometheus-test} runs it (the testbed's own run excludes it).
 */
class PrometheusQueriesTest {

  private static final int JOBS = 6;
  private static final int REJECTED = 3;
  private static final Duration SCRAPED_WITHIN = Duration.ofSeconds(30);

  @Test
  void everyQueryGivenToOperatorsReturnsTheJobsSeriesFromARealPrometheus(@TempDir Path dir) throws Exception {
    List<Query> queries = OpsQueries.all();
    String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    String podIp = podIp();
    Map<String, Object> deployment = KubernetesManifests.manifest("deployment.yaml");
    Map<String, String> env = new HashMap<>(ImageConfig.read().environment());
    env.putAll(KubernetesManifests.environment(
      new KubernetesManifests.Pod(Map.of("status.podIP", podIp), Map.of("warmpool-token/token", token)),
      KubernetesManifests.container(deployment)));
    // the image's cache folder is the container's own; here the test's
    env.put("WARMPOOL_CHILD_CACHEDIR", dir.resolve("cache").toString());
    JsonObject overrides = new JsonObject()
      .put("web", new JsonObject().put("token", token))
      .put("load", new JsonObject().put("source", "external"));

    try (WorkerProcess worker = WorkerProcess.start(Path.of("conf/worker.json"), overrides, dir, "prometheus", List.of(), env);
         RealPrometheus prometheus = RealPrometheus.start(dir, podIp + ":" + worker.port(), token,
           Map.of("namespace", "default", "pod", "warmpool-0"))) {
      String readiness = (String) Yaml.at(KubernetesManifests.container(deployment), "readinessProbe", "httpGet", "path");
      assertThat(status(podIp, worker.port(), readiness)).as("the readiness probe's %s on the pod's address", readiness).isEqualTo(200);
      // rate() needs a sample before the jobs: a first scrape of the idle worker
      awaitScrapes(prometheus, "a first scrape of the worker", () -> !prometheus.query("up{job=\"warmpool\"} == 1").isEmpty());
      runJobsAndRejections(worker, podIp, token);

      awaitScrapes(prometheus, "Prometheus to scrape the rejections", () -> prometheus.query("warmpool_ws_rejected_total{reason=\"full\"}")
        .stream().anyMatch(s -> RealPrometheus.value((JsonObject) s) == REJECTED));
      awaitScrapes(prometheus, "the recording rules to see a start latency",
        () -> !prometheus.query("warmpool:job_start_seconds:p99_5m").isEmpty());

      SoftAssertions softly = new SoftAssertions();
      for (Query query : queries) {
        if (query.kind() == Kind.SERIES) {
          JsonArray result = prometheus.query(query.expr());
          softly.assertThat(result).as("%s: %s returns series", query.where(), query.expr()).isNotEmpty();
          softly.assertThat(values(result)).as("%s: %s returns finite values", query.where(), query.expr())
            .allMatch(Double::isFinite);
        }
        for (String selector : query.selectors()) {
          softly.assertThat(prometheus.query(selector)).as("%s: %s selects series", query.where(), selector).isNotEmpty();
        }
      }
      for (Object group : prometheus.ruleGroups()) {
        for (Object rule : ((JsonObject) group).getJsonArray("rules")) {
          JsonObject r = (JsonObject) rule;
          softly.assertThat(r.getString("health")).as("rule %s evaluates (%s)", r.getString("name"), r.getString("lastError"))
            .isEqualTo("ok");
        }
      }
      checkFigures(softly, prometheus);
      softly.assertAll();
    }
  }

  /** Waits for what Prometheus shows; a failure says how its scrapes of the worker went (a refused one shows its 403). */
  private static void awaitScrapes(RealPrometheus prometheus, String what, Await.Condition condition) throws Exception {
    try {
      waitFor(what, SCRAPED_WITHIN, condition);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; Prometheus's targets: " + prometheus.targets(), e);
    }
  }

  /** What the jobs run must show: the states, the latency, the rejections, the outcomes, the utilisation. */
  private static void checkFigures(SoftAssertions softly, RealPrometheus prometheus) throws Exception {
    softly.assertThat(labels(prometheus.query("warmpool:processes:sum"), "state")).as("processes by state")
      .containsExactlyInAnyOrder("idle", "initializing", "running", "exiting");
    double p50 = single(prometheus.query("warmpool:job_start_seconds:p50_5m"));
    double p99 = single(prometheus.query("warmpool:job_start_seconds:p99_5m"));
    softly.assertThat(p99).as("start latency p99 from the histogram, s").isGreaterThan(0).isLessThanOrEqualTo(30).isGreaterThanOrEqualTo(p50);
    softly.assertThat(labels(prometheus.query("warmpool:ws_rejected:rate5m > 0"), "reason")).as("rejections by reason")
      .containsExactly("full");
    softly.assertThat(single(prometheus.query("sum(warmpool_jobs_total{outcome=\"completed\"})"))).as("jobs completed")
      .isEqualTo(JOBS);
    softly.assertThat(single(prometheus.query("warmpool:utilization:avg"))).as("utilisation").isBetween(0.0, 1.0);
    softly.assertThat(single(prometheus.query("sum(warmpool_status{status=\"available\"})"))).as("status available").isEqualTo(1.0);
  }

  /**
   * {@value #JOBS} echo jobs over the WebSocket, then {@value #REJECTED} submissions while the
   * external load says full, then the load back down: the worker's series then hold every kind
   * of sample the queries read.
   */
  private static void runJobsAndRejections(WorkerProcess worker, String host, String token) throws Exception {
    putLoad(host, worker.port(), token, "0.1");
    ClientOptions options = new ClientOptions().setUrl("ws://127.0.0.1:" + worker.port() + "/ws").setToken(token).setReconnect(false);
    try (WarmpoolClient client = WarmpoolClient.connect(options).get(30, TimeUnit.SECONDS)) {
      for (int i = 0; i < JOBS; i++) {
        JobOutcome outcome = client.submit(echo(i)).get(30, TimeUnit.SECONDS).outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(outcome.state()).as("echo job %d: %s", i, outcome).isEqualTo(JobOutcome.State.COMPLETED);
      }
      putLoad(host, worker.port(), token, "1.0");
      waitFor("the worker to be full", () -> body(host, worker.port(), "/health").contains("\"full\""));
      for (int i = 0; i < REJECTED; i++) {
        int value = i;
        Throwable rejected = catchThrowable(() -> client.submit(echo(value)).join());
        assertThat(rejected).isInstanceOf(CompletionException.class).cause().isInstanceOf(JobRejectedException.class);
        assertThat(((JobRejectedException) rejected.getCause()).reason()).isEqualTo("full");
      }
      putLoad(host, worker.port(), token, "0.1");
      waitFor("the worker to be available", () -> body(host, worker.port(), "/health").contains("\"available\""));
    }
  }

  /** The demo's echo job, as the Java client takes a payload (Gson). */
  private static com.google.gson.JsonObject echo(int value) {
    com.google.gson.JsonObject payload = new com.google.gson.JsonObject();
    payload.addProperty("op", "echo");
    payload.addProperty("value", value);
    return payload;
  }

  private static void putLoad(String host, int port, String token, String load) throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/load"))
      .header("Authorization", "Bearer " + token).PUT(HttpRequest.BodyPublishers.ofString(load)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as("PUT /load %s: %s", load, answer.body()).isEqualTo(200);
  }

  private static int status(String host, int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).build(),
      HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String body(String host, int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).build(),
      HttpResponse.BodyHandlers.ofString()).body();
  }

  /**
   * This machine's own IPv4 address, standing for a pod's IP: the worker must accept a scrape
   * that names it in its Host, as Prometheus's does in Kubernetes. Loopback only where the
   * machine has no other address (the Host check is then not exercised).
   */
  private static String podIp() throws Exception {
    return NetworkInterface.networkInterfaces()
      .filter(i -> isUp(i) && !isLoopback(i))
      .flatMap(NetworkInterface::inetAddresses)
      .filter(a -> a instanceof Inet4Address && !a.isLinkLocalAddress())
      .map(InetAddress::getHostAddress)
      .findFirst()
      .orElseGet(() -> {
        System.out.println("no address but loopback: the worker is scraped at 127.0.0.1, its Host check not exercised");
        return "127.0.0.1";
      });
  }

  private static boolean isUp(NetworkInterface i) {
    try {
      return i.isUp();
    } catch (java.net.SocketException e) {
      return false;
    }
  }

  private static boolean isLoopback(NetworkInterface i) {
    try {
      return i.isLoopback();
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  private static List<Double> values(JsonArray result) {
    return IntStream.range(0, result.size()).mapToObj(i -> RealPrometheus.value(result.getJsonObject(i))).toList();
  }

  private static double single(JsonArray result) {
    assertThat(result).as("one series").hasSize(1);
    return RealPrometheus.value(result.getJsonObject(0));
  }

  private static Set<String> labels(JsonArray result, String label) {
    return IntStream.range(0, result.size()).mapToObj(i -> result.getJsonObject(i).getJsonObject("metric").getString(label))
      .collect(Collectors.toSet());
  }
}
