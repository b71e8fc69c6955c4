package io.warmpool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.DocQueries.DocQuery;
import io.warmpool.PromQuery.Sample;
import io.warmpool.PromQuery.Scrapes;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.warmpool.Await.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Prometheus query the docs and the Kubernetes manifests give ({@link DocQueries}) checked
 * against what a real worker serves on {@code /metrics}: each metric name exists, each label a matcher selects on exists with the values it names, and the
 * query, evaluated on two scrapes, returns at least one finite value. The queries are read from
 * the pages, so the test follows the docs. The series listed in the table of
 * {@code docs/autoscaling.md} are checked the same way (names and label names).
 * <p>
 * Series get the labels a Kubernetes scrape adds ({@code job}, {@code instance},
 * {@code namespace}, {@code pod}), as Prometheus stores them.
 */
@ExtendWith(VertxExtension.class)
class MetricsDocQueriesTest {

  private static final Path AUTOSCALING = Path.of("docs/autoscaling.md");
  private static final Map<String, String> TARGET = Map.of("job", "warmpool", "instance", "10.0.0.7:8080",
    "namespace", "default", "pod", "warmpool-0");

  @Test
  void everyQueryOfTheDocsSelectsServedSeriesAndReturnsAValue(Vertx vertx) throws Exception {
    List<DocQuery> queries = DocQueries.all(Path.of(""));
    assertThat(queries).as("queries found in the docs' code blocks and deploy/kubernetes")
      .extracting(DocQuery::query)
      .anyMatch(q -> q.contains("warmpool_processes"))
      .anyMatch(q -> q.contains("rate(warmpool_max_processes_reached_total"));

    Scrapes scrapes = scrapeABusyWorker(vertx);
    Set<String> served = families(scrapes.latest());

    SoftAssertions softly = new SoftAssertions();
    for (DocQuery doc : queries) {
      PromQuery query = PromQuery.parse(doc.query());
      for (PromQuery.Selector selector : query.selectors()) {
        List<Sample> named = scrapes.latest().stream().filter(s -> s.name().equals(selector.name())).toList();
        softly.assertThat(named).as("%s: %s: metric %s is served", doc.where(), doc.query(), selector.name()).isNotEmpty();
        for (PromQuery.Matcher matcher : selector.matchers()) {
          if (matcher.op().startsWith("!")) {
            continue;
          }
          softly.assertThat(named).as("%s: %s: %s has a label %s", doc.where(), doc.query(), selector.name(), matcher.label())
            .anyMatch(s -> s.labels().containsKey(matcher.label()));
          for (String value : literalValues(matcher)) {
            softly.assertThat(named).as("%s: %s: %s{%s=\"%s\"} is served", doc.where(), doc.query(), selector.name(), matcher.label(), value)
              .anyMatch(s -> value.equals(s.labels().get(matcher.label())));
          }
        }
      }
      List<Sample> result = query.evaluate(scrapes);
      softly.assertThat(result).as("%s: %s returns a value", doc.where(), doc.query()).isNotEmpty();
      softly.assertThat(result).as("%s: %s returns finite values", doc.where(), doc.query())
        .allMatch(s -> Double.isFinite(s.value()));
    }

    for (String row : Files.readAllLines(AUTOSCALING)) {
      Matcher series = Pattern.compile("^\\| `(warmpool_\\w+)(?:\\{(\\w+)[^`]*)?`").matcher(row);
      if (series.find()) {
        String name = series.group(1);
        softly.assertThat(served).as("%s: series %s is served", AUTOSCALING, name).contains(name);
        if (series.group(2) != null) {
          softly.assertThat(scrapes.latest()).as("%s: %s has a label %s", AUTOSCALING, name, series.group(2))
            .anyMatch(s -> s.name().equals(name) && s.labels().containsKey(series.group(2)));
        }
      }
    }
    softly.assertAll();
  }

  @Test
  void theEvaluatorSeesWhyTwoSeriesWithDifferentLabelsAddUpToNothing() {
    List<Sample> samples = PromQuery.parseText("""
      # TYPE warmpool_processes gauge
      warmpool_processes{state="idle"} 2.0
      warmpool_processes{state="running"} 1.0
      warmpool_jobs_active 3.0
      """, TARGET);
    Scrapes scrapes = new Scrapes(samples, samples, 1);

    assertThat(PromQuery.parse("sum(warmpool_jobs_active) / sum(warmpool_processes{state=\"idle\"} + warmpool_processes{state=\"running\"})")
      .evaluate(scrapes)).as("vector + vector matches on every label, state included").isEmpty();
    assertThat(PromQuery.parse("sum(warmpool_jobs_active) / sum(warmpool_processes{state=~\"idle|running\"})").evaluate(scrapes))
      .singleElement().extracting(Sample::value).isEqualTo(1.0);
  }

  /** A worker in a JVM of its own that has run a few jobs (so that per-cause counters exist), scraped twice. */
  private static Scrapes scrapeABusyWorker(Vertx vertx) throws Exception {
    try (RunningWorker worker = RunningWorker.start(Map.of("WARMPOOL_POOL_MAXIDLE", "1"))) {
      waitFor("the worker to be up", () -> worker.status("/health") == 200);
      try (WsClient client = WsClient.connect(vertx, worker.port)) {
        for (int i = 0; i < 3; i++) {
          client.submit("r" + i, new JsonObject().put("op", "echo").put("value", i));
          assertThat(client.terminal(client.reply("r" + i).getString("jobId")).getString("event")).isEqualTo("completed");
        }
      }
      waitFor("a recycled process counted", () -> worker.body("/metrics").contains("warmpool_reaps_total{"));
      long before = System.nanoTime();
      List<Sample> earlier = PromQuery.parseText(worker.body("/metrics"), TARGET);
      // two scrapes a moment apart, for rate(); the interval is measured, not assumed
      Thread.sleep(500);
      List<Sample> latest = PromQuery.parseText(worker.body("/metrics"), TARGET);
      return new Scrapes(earlier, latest, (System.nanoTime() - before) / 1e9);
    }
  }

  /** The values a matcher names literally: {@code =}'s value, each branch of a plain {@code a|b} regex. */
  private static List<String> literalValues(PromQuery.Matcher matcher) {
    if (matcher.op().equals("=")) {
      return List.of(matcher.value());
    }
    if (matcher.value().matches("[\\w-]+(\\|[\\w-]+)*")) {
      return List.of(matcher.value().split("\\|"));
    }
    return List.of();
  }

  /** Metric families served: every series name, and a histogram's name without its suffixes. */
  private static Set<String> families(List<Sample> samples) {
    Set<String> names = new HashSet<>();
    for (Sample sample : samples) {
      names.add(sample.name());
      names.add(sample.name().replaceFirst("_(bucket|count|sum|max)$", ""));
    }
    return names;
  }
}
