package io.warmpool.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warmpool.DocQueries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every PromQL expression an operator is given, read from where it is given: the docs and the
 * Kubernetes manifests ({@link DocQueries}), the recording and alert rules of
 * deploy/prometheus, the panels of the Grafana dashboard. A query added to any of them is run by
 * {@link PrometheusQueriesTest}.
 */
final class OpsQueries {

  static final Path RULES = Path.of("deploy/prometheus/warmpool.rules.yml");
  static final Path DASHBOARD = Path.of("deploy/grafana/warmpool.json");
  /** A metric an expression reads, with its matchers: every name of ours starts with warmpool, Prometheus's own is up. */
  private static final Pattern SELECTOR = Pattern.compile("\\b(up|warmpool[a-z0-9_:]*)(\\{[^}]*})?");

  /** What a query should return while the worker is well: series, or (an alert's condition) nothing. */
  enum Kind { SERIES, ALERT }

  record Query(String where, String expr, Kind kind) {

    /** The metric selectors the expression reads, each on its own: they return series when the names and labels are right. */
    List<String> selectors() {
      List<String> selectors = new ArrayList<>();
      Matcher selector = SELECTOR.matcher(expr);
      while (selector.find()) {
        selectors.add(selector.group());
      }
      return selectors;
    }
  }

  private OpsQueries() {
  }

  static List<Query> all() throws IOException {
    List<Query> queries = new ArrayList<>();
    DocQueries.all(Path.of("")).forEach(q -> queries.add(new Query(q.where(), q.query(), Kind.SERIES)));
    queries.addAll(rules());
    dashboard().forEach(expr -> queries.add(new Query(DASHBOARD.toString(), expr, Kind.SERIES)));
    return queries;
  }

  /** Each recording rule's expression and the series it records, each alert's condition. */
  static List<Query> rules() throws IOException {
    List<Query> queries = new ArrayList<>();
    for (Map<String, Object> group : Yaml.maps(Yaml.document(RULES).get("groups"))) {
      for (Map<String, Object> rule : Yaml.maps(group.get("rules"))) {
        String expr = String.valueOf(rule.get("expr"));
        if (rule.containsKey("record")) {
          queries.add(new Query(RULES + " " + rule.get("record"), expr, Kind.SERIES));
          queries.add(new Query(RULES + " " + rule.get("record"), (String) rule.get("record"), Kind.SERIES));
        } else {
          queries.add(new Query(RULES + " " + rule.get("alert"), expr, Kind.ALERT));
        }
      }
    }
    return queries;
  }

  /** The expression of every target of every panel. */
  static List<String> dashboard() throws IOException {
    List<String> exprs = new ArrayList<>();
    JsonArray panels = new JsonObject(Files.readString(DASHBOARD)).getJsonArray("panels");
    for (int i = 0; i < panels.size(); i++) {
      JsonArray targets = panels.getJsonObject(i).getJsonArray("targets", new JsonArray());
      for (int t = 0; t < targets.size(); t++) {
        exprs.add(targets.getJsonObject(t).getString("expr"));
      }
    }
    return exprs;
  }
}
