package io.warmpool.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;
import io.warmpool.ops.KubernetesManifests.Pod;
import io.warmpool.ops.OpsQueries.Query;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.warmpool.ops.KubernetesManifests.container;
import static io.warmpool.ops.KubernetesManifests.manifest;
import static io.warmpool.ops.Yaml.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/kubernetes, deploy/prometheus and deploy/grafana checked against what the worker does,
 * since no cluster is at hand: the configuration a pod runs with (the image's environment and
 * the Deployment's over conf/worker.json) passes the worker's own validation; ports, probe paths
 * and the grace period fit it; every metric the manifests read is one the worker registers;
 * the objects name each other rightly. {@link PrometheusQueriesTest} runs their queries.
 */
class ManifestsTest {

  private static final Path CONF = Path.of("conf/worker.json");
  private static final String POD_IP = "10.1.2.3";
  private static final Pod POD = new Pod(Map.of("status.podIP", POD_IP), Map.of("warmpool-token/token", "0123456789abcdef0123456789abcdef"));
  private static final Pattern METER = Pattern.compile("\"(warmpool(?:\\.[a-z]+)+)\"");
  private static final Pattern SERIES = Pattern.compile("\\bwarmpool_[a-z_]+");

  private static Map<String, Object> deployment;
  private static Map<String, Object> container;
  private static ImageConfig image;

  @BeforeAll
  static void read() throws Exception {
    deployment = manifest("deployment.yaml");
    container = container(deployment);
    image = ImageConfig.read();
  }

  /** The worker's configuration in a pod: conf/worker.json, the image's environment, then the containers'. */
  @SafeVarargs
  private static WorkerConfig podConfig(Map<String, Object>... containers) throws Exception {
    Map<String, String> env = new HashMap<>(image.environment());
    env.putAll(KubernetesManifests.environment(POD, containers));
    return ConfigLoader.load(CONF, env);
  }

  @Test
  void theDeploymentsConfigurationIsOneTheWorkerAcceptsAndItsPortsAreTheWorkers() throws Exception {
    WorkerConfig config = podConfig(container);

    assertThat(config.web().host()).as("web.host in a container").isEqualTo("0.0.0.0");
    assertThat(config.web().token()).as("a token, which web.host 0.0.0.0 needs").isNotBlank();
    assertThat(KubernetesManifests.ports(container)).containsEntry("http", config.web().port());
    assertThat(image.ports()).contains(config.web().port());
    // Prometheus scrapes the pod at its IP: the Host check must know it, or every scrape is refused 403
    assertThat(config.web().allowedHosts()).contains(POD_IP, "warmpool");
    assertThat(image.entrypoint()).containsSubsequence("java", "-jar", "/app/warmpool.jar", "--conf", "/app/conf/worker.json");
  }

  @Test
  void probesAskHealthWhereTheWorkerAnswersIt() {
    assertThat(at(container, "readinessProbe", "httpGet", "path")).as("readiness: /health turns 503 while draining or degraded")
      .isEqualTo("/health");
    assertThat(at(container, "readinessProbe", "httpGet", "port")).isEqualTo("http");
    // a draining worker answers /health 503 for up to drain.timeoutMs: liveness on it would kill the drain
    assertThat(at(container, "livenessProbe", "httpGet")).as("liveness is not /health").isNull();
    assertThat(at(container, "livenessProbe", "tcpSocket", "port")).isEqualTo("http");
  }

  @Test
  void theGracePeriodCoversThePreStopTheDrainAndTheChildrensClose() throws Exception {
    WorkerConfig config = podConfig(container);
    int preStop = (Integer) at(container, "lifecycle", "preStop", "sleep", "seconds");
    long needed = preStop + seconds(config.drain().timeoutMs()) + seconds(config.pool().closeTimeoutMs());
    int grace = (Integer) at(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds");

    assertThat(grace).as("terminationGracePeriodSeconds >= preStop %d s + drain.timeoutMs + pool.closeTimeoutMs", preStop)
      .isGreaterThanOrEqualTo((int) needed);
  }

  @Test
  void thePodRunsAsTheImagesUserWithACpuLimitForTheLoadAndItsCacheOnAVolume() throws Exception {
    WorkerConfig config = podConfig(container);
    Map<String, Object> pod = Yaml.map(at(deployment, "spec", "template", "spec"));

    assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
    assertThat(image.user()).isEqualTo(at(pod, "securityContext", "runAsUser") + ":" + at(pod, "securityContext", "runAsGroup"));
    // load.source cpu reads the cgroup's quota; without a CPU limit there is none, and the load is the node's
    assertThat(config.load().source()).isEqualTo("cpu");
    assertThat(at(container, "resources", "limits", "cpu")).as("a CPU limit: the quota the load is measured against").isNotNull();
    // a read-only root: the cache folder must be on a volume
    assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(Yaml.maps(container.get("volumeMounts"))).as("a volume under child.cacheDir %s", config.child().cacheDir())
      .anyMatch(m -> Path.of(config.child().cacheDir()).startsWith(String.valueOf(m.get("mountPath"))));
  }

  @Test
  void theServiceAndTheAutoscalersNameTheDeploymentAndItsPort() throws Exception {
    Map<String, Object> service = manifest("service.yaml");
    Object podLabels = at(deployment, "spec", "template", "metadata", "labels");
    assertThat(at(service, "spec", "selector")).isEqualTo(podLabels);
    assertThat(KubernetesManifests.servicePortTargets(service)).containsExactly("http");

    String name = (String) at(deployment, "metadata", "name");
    assertThat(at(manifest("hpa.yaml"), "spec", "scaleTargetRef", "name")).isEqualTo(name);
    assertThat(at(manifest("hpa.yaml"), "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
    Map<String, Object> keda = manifest("keda.yaml");
    assertThat(at(keda, "spec", "scaleTargetRef", "name")).isEqualTo(name);
    // a fleet-wide ratio: AverageValue would divide it by the replica count
    assertThat(Yaml.maps(at(keda, "spec", "triggers")).get(0)).containsEntry("metricType", "Value");
  }

  @Test
  void everyMetricTheManifestsAndRulesReadIsOneTheWorkerRegisters() throws Exception {
    Set<String> meters = meterNames();
    List<Query> queries = OpsQueries.all();
    assertThat(queries).as("the manifests' queries are among those the Prometheus test runs")
      .anyMatch(q -> q.where().endsWith("hpa.yaml") && q.expr().equals("warmpool_utilization"))
      .anyMatch(q -> q.where().endsWith("keda.yaml") && q.expr().contains("warmpool_processes{state=~\"idle|running\"}"))
      .anyMatch(q -> q.where().endsWith("prometheus-adapter.yaml"));
    for (Query query : queries) {
      Matcher series = SERIES.matcher(query.expr());
      while (series.find()) {
        // a counter's _total, a histogram's series, a timer's unit: what Micrometer adds to a meter's name
        String family = series.group().replaceFirst("_(total|bucket|count|sum|max)$", "");
        assertThat(List.of(family, family.replaceFirst("_seconds$", ""))).as("%s: %s is a meter of the worker", query.where(), series.group())
          .containsAnyElementsOf(meters);
      }
    }
  }

  @Test
  void prometheusFindsThePodsOfTheDeploymentAndLabelsThemForTheAdapter() throws Exception {
    Map<String, Object> job = Yaml.maps(Yaml.document(RealPrometheus.CONFIG).get("scrape_configs")).get(0);
    assertThat(job.get("job_name")).as("the job the rules' up{job=...} names").isEqualTo("warmpool");
    assertThat(Files.readString(OpsQueries.RULES)).contains("up{job=\"warmpool\"}");
    Map<String, String> keeps = new HashMap<>();
    Set<String> targetLabels = new HashSet<>();
    for (Map<String, Object> relabel : Yaml.maps(job.get("relabel_configs"))) {
      String source = String.valueOf(((List<?>) relabel.get("source_labels")).get(0));
      if ("keep".equals(relabel.get("action"))) {
        keeps.put(source, (String) relabel.get("regex"));
      } else {
        targetLabels.add((String) relabel.get("target_label"));
      }
    }
    assertThat(keeps).containsEntry("__meta_kubernetes_pod_label_app", (String) at(deployment, "spec", "template", "metadata", "labels", "app"))
      .containsEntry("__meta_kubernetes_pod_container_port_name", "http");
    // the adapter maps these labels to the HPA's pods
    Map<String, Object> adapterRule = Yaml.maps(manifest("prometheus-adapter.yaml").get("rules")).get(0);
    assertThat(Yaml.map(at(adapterRule, "resources", "overrides")).keySet()).containsExactlyInAnyOrderElementsOf(targetLabels);
    assertThat(at(job, "authorization", "credentials_file")).as("the token /metrics needs").isNotNull();
  }

  @Test
  void clusterModeJoinsThePodsOfTheHeadlessService() throws Exception {
    Map<String, Object> patch = container(manifest("cluster-patch.yaml"));
    WorkerConfig config = podConfig(container, patch);
    Map<String, Object> headless = manifest("cluster.yaml");

    assertThat(config.cluster().enabled()).isTrue();
    assertThat(config.cluster().host()).as("Hazelcast binds the pod's IP").isEqualTo(POD_IP);
    assertThat(KubernetesManifests.ports(patch)).containsEntry("hazelcast", config.cluster().port());
    assertThat(at(headless, "spec", "clusterIP")).isEqualTo("None");
    assertThat(at(headless, "spec", "publishNotReadyAddresses")).isEqualTo(true);
    assertThat(at(headless, "spec", "selector")).isEqualTo(at(deployment, "spec", "template", "metadata", "labels"));
    assertThat(KubernetesManifests.servicePortTargets(headless)).containsExactly("hazelcast");
    assertThat(config.cluster().members()).singleElement().asString()
      .startsWith(at(headless, "metadata", "name") + ".").endsWith(":" + config.cluster().port());
  }

  @Test
  void everyPanelOfTheDashboardHasAQueryOnItsPrometheus() throws Exception {
    JsonArray panels = new JsonObject(Files.readString(OpsQueries.DASHBOARD)).getJsonArray("panels");
    assertThat(panels).isNotEmpty();
    for (int i = 0; i < panels.size(); i++) {
      JsonObject panel = panels.getJsonObject(i);
      assertThat(panel.getJsonArray("targets")).as("panel %s", panel.getString("title")).isNotEmpty();
      assertThat(panel.getJsonObject("datasource").getString("uid")).isEqualTo("${datasource}");
    }
    assertThat(OpsQueries.dashboard()).allMatch(expr -> expr != null && !expr.isBlank());
  }

  private static long seconds(long ms) {
    return (ms + 999) / 1000;
  }

  /** The names of the meters the worker's code registers, as Prometheus names them (dots to underscores). */
  private static Set<String> meterNames() throws Exception {
    Set<String> names = new HashSet<>();
    try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher meter = METER.matcher(Files.readString(source));
        while (meter.find()) {
          names.add(meter.group(1).replace('.', '_'));
        }
      }
    }
    return names;
  }
}
