package io.warmpool.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.warmpool.Await.waitFor;

/**
 * Debian's {@code prometheus} on 127.0.0.1 for one test, on a free port, with its data in the
 * test's folder, on deploy/prometheus/prometheus.yml: the same scrape job (its name, path and
 * token), its rule files, but a static target with the labels Kubernetes' discovery and the
 * job's relabelling would give, and a one-second scrape and evaluation interval. Stopped (and
 * killed if need be) by {@link #close}.
 */
final class RealPrometheus implements AutoCloseable {

  static final Path CONFIG = Path.of("deploy/prometheus/prometheus.yml");
  private static final Duration READY_WITHIN = Duration.ofSeconds(30);

  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private RealPrometheus(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * @param target       host:port of the worker
   * @param token        the worker's web.token, which the scrape job reads from its credentials file
   * @param targetLabels what the job's relabelling adds in Kubernetes (namespace, pod)
   */
  static RealPrometheus start(Path dir, String target, String token, Map<String, String> targetLabels) throws Exception {
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, token);
    Map<String, Object> config = Yaml.document(CONFIG);
    Yaml.map(config.get("global")).putAll(Map.of("scrape_interval", "1s", "evaluation_interval", "1s"));
    config.put("rule_files", ((List<?>) config.get("rule_files")).stream()
      .map(file -> CONFIG.toAbsolutePath().getParent().resolve(String.valueOf(file)).toString()).toList());
    for (Map<String, Object> job : Yaml.maps(config.get("scrape_configs"))) {
      job.remove("kubernetes_sd_configs");
      job.remove("relabel_configs");
      job.put("static_configs", List.of(Map.of("targets", List.of(target), "labels", targetLabels)));
      Object authorization = job.get("authorization");
      if (authorization != null) {
        Yaml.map(authorization).put("credentials_file", tokenFile.toAbsolutePath().toString());
      }
    }
    Path configFile = dir.resolve("prometheus.yml");
    Files.writeString(configFile, Yaml.dump(config));

    int port = freePort();
    Path log = dir.resolve("prometheus.log");
    Process process = new ProcessBuilder("prometheus", "--config.file=" + configFile,
      "--storage.tsdb.path=" + dir.resolve("prometheus-data"), "--web.listen-address=127.0.0.1:" + port)
      .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    RealPrometheus prometheus = new RealPrometheus(process, port);
    try {
      waitFor("Prometheus to be ready (" + log + ")", READY_WITHIN, () -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n" + Files.readString(log));
        }
        try {
          return prometheus.get("/-/ready").statusCode() == 200;
        } catch (IOException notListeningYet) {
          return false;
        }
      });
      return prometheus;
    } catch (Exception | AssertionError e) {
      prometheus.close();
      throw e;
    }
  }

  /** {@code /api/v1/query}: the instant vector's (or scalar's) result; fails on a query Prometheus refuses. */
  JsonArray query(String promql) throws IOException, InterruptedException {
    JsonObject answer = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonObject data = answer.getJsonObject("data");
    if ("scalar".equals(data.getString("resultType"))) {
      return new JsonArray().add(new JsonObject().put("metric", new JsonObject()).put("value", data.getJsonArray("result")));
    }
    return data.getJsonArray("result");
  }

  /** {@code /api/v1/rules}: the groups, each rule with its health and last error. */
  JsonArray ruleGroups() throws IOException, InterruptedException {
    return api("/api/v1/rules").getJsonObject("data").getJsonArray("groups");
  }

  /** {@code /api/v1/targets}: the active targets, each with its health and last scrape error. */
  JsonArray targets() throws IOException, InterruptedException {
    return api("/api/v1/targets").getJsonObject("data").getJsonArray("activeTargets");
  }

  /** A sample's value ({@code "NaN"}, {@code "+Inf"} included). */
  static double value(JsonObject sample) {
    return Double.parseDouble(sample.getJsonArray("value").getString(1));
  }

  private JsonObject api(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = get(path);
    JsonObject answer = new JsonObject(response.body());
    if (!"success".equals(answer.getString("status"))) {
      throw new AssertionError("Prometheus refused " + path + ": " + answer.getString("error"));
    }
    return answer;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
      HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
