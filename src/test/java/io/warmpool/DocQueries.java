package io.warmpool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus queries an operator is given: those of the docs' code blocks (every line of a
 * {@code promql} block; the {@code query:}, {@code seriesQuery:}, {@code metricsQuery:} and
 * {@code metric: {name: …}} of a YAML block) and of the Kubernetes manifests in
 * {@code deploy/kubernetes} (the HPA's metric, the adapter's rule, KEDA's triggers). Read from the
 * files, so that a query added to a page or a manifest is checked by {@code MetricsDocQueriesTest}
 * and by the testbed's Prometheus test. Paths are from the repository root.
 */
public final class DocQueries {

  private static final Pattern FENCE = Pattern.compile("(?ms)^```(\\w*)\\n(.*?)^```");
  private static final Pattern YAML_QUERY = Pattern.compile("^(\\s*)(?:-\\s+)?(query|seriesQuery|metricsQuery):\\s*(.*)$");
  private static final Pattern METRIC_NAME = Pattern.compile("metric:\\s*\\{\\s*name:\\s*([A-Za-z_:][\\w:]*)");

  /** A query and the file it was found in. */
  public record DocQuery(String where, String query) {
  }

  private DocQueries() {
  }

  /** The queries of README.md's and docs/*.md's code blocks, then those of deploy/kubernetes/*.yaml, from {@code root}. */
  public static List<DocQuery> all(Path root) throws IOException {
    List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
    pages.addAll(files(root.resolve("docs"), ".md"));
    List<DocQuery> queries = new ArrayList<>();
    for (Path page : pages) {
      Matcher block = FENCE.matcher(Files.readString(page));
      while (block.find()) {
        String language = block.group(1);
        List<String> lines = block.group(2).lines().toList();
        if (language.equals("promql")) {
          lines.stream().filter(l -> !l.isBlank() && !l.strip().startsWith("#"))
            .forEach(l -> queries.add(new DocQuery(root.relativize(page).toString(), l.strip())));
        } else if (language.equals("yaml") || language.equals("yml")) {
          queries.addAll(yamlQueries(root.relativize(page), lines));
        }
      }
    }
    for (Path manifest : files(root.resolve("deploy/kubernetes"), ".yaml")) {
      queries.addAll(yamlQueries(root.relativize(manifest), Files.readAllLines(manifest)));
    }
    return queries;
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static List<DocQuery> yamlQueries(Path file, List<String> lines) {
    List<DocQuery> queries = new ArrayList<>();
    String series = null;
    for (int i = 0; i < lines.size(); i++) {
      Matcher metric = METRIC_NAME.matcher(lines.get(i));
      if (metric.find()) {
        queries.add(new DocQuery(file.toString(), metric.group(1)));
      }
      Matcher key = YAML_QUERY.matcher(lines.get(i));
      if (!key.find()) {
        continue;
      }
      String value = key.group(3).strip();
      if (value.equals("|") || value.equals(">")) {
        // a block scalar: the lines indented deeper than the key
        StringBuilder text = new StringBuilder();
        int indent = key.group(1).length();
        while (i + 1 < lines.size() && (lines.get(i + 1).isBlank() || leading(lines.get(i + 1)) > indent)) {
          text.append(lines.get(++i).strip()).append(' ');
        }
        value = text.toString().strip();
      } else if (value.length() > 1 && (value.startsWith("'") && value.endsWith("'") || value.startsWith("\"") && value.endsWith("\""))) {
        value = value.substring(1, value.length() - 1);
      }
      if (key.group(2).equals("seriesQuery")) {
        series = PromQuery.parse(value).selectors().get(0).name();
      } else if (key.group(2).equals("metricsQuery")) {
        // the adapter's template, filled in as the adapter does for one pod
        if (series == null) {
          throw new IllegalStateException(file + ": a metricsQuery without a seriesQuery before it");
        }
        value = value.replace("<<.Series>>", series).replace("<<.LabelMatchers>>", "namespace=\"default\",pod=\"warmpool-0\"")
          .replace("<<.GroupBy>>", "pod");
      }
      queries.add(new DocQuery(file.toString(), value));
    }
    return queries;
  }

  private static int leading(String line) {
    return line.length() - line.stripLeading().length();
  }
}
