package io.warmpool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Just enough PromQL to evaluate the queries the docs give against series scraped from a worker,
 * so a test can say that a query returns something, not only that its names exist: two series
 * with different labels added together are a valid query that returns nothing.
 * <p>
 * Supported: selectors with {@code = != =~ !~}; range selectors inside {@code rate} and
 * {@code increase}; {@code sum avg min max count} with an optional {@code by}/{@code without};
 * {@code clamp_min}, {@code clamp_max}; {@code + - * /} between scalars and vectors, vectors
 * matched one-to-one on all their labels but the name, as Prometheus does without
 * {@code on}/{@code ignoring}. Anything else fails as unsupported, so a doc that uses more PromQL
 * than this makes its test say so rather than pass. Range functions read two scrapes: the
 * series' increase between them over the time between them (no extrapolation).
 */
final class PromQuery {

  /** One series: its labels, the name under {@code __name__}, and its value. */
  record Sample(Map<String, String> labels, double value) {

    String name() {
      return labels.get("__name__");
    }
  }

  /** The same target scraped twice, {@code seconds} apart. */
  record Scrapes(List<Sample> earlier, List<Sample> latest, double seconds) {
  }

  /** A label matcher: {@code op} is {@code =}, {@code !=}, {@code =~} or {@code !~}. */
  record Matcher(String label, String op, String value) {

    boolean matches(String actual) {
      String v = actual == null ? "" : actual;
      return switch (op) {
        case "=" -> v.equals(value);
        case "!=" -> !v.equals(value);
        case "=~" -> Pattern.matches(value, v);
        case "!~" -> !Pattern.matches(value, v);
        default -> throw new IllegalStateException(op);
      };
    }
  }

  /** A series selector of the query: a metric name and its label matchers. */
  record Selector(String name, List<Matcher> matchers) {

    boolean matches(Sample sample) {
      return name.equals(sample.name()) && matchers.stream().allMatch(m -> m.matches(sample.labels().get(m.label())));
    }
  }

  private final String text;
  private int pos;
  private final List<Selector> selectors = new ArrayList<>();
  private final Node root;

  private PromQuery(String text) {
    this.text = text;
    this.root = expression();
    skipSpace();
    if (pos < text.length()) {
      throw error("unexpected text");
    }
  }

  static PromQuery parse(String query) {
    return new PromQuery(query);
  }

  /** Every series selector in the query, in order. */
  List<Selector> selectors() {
    return selectors;
  }

  /** The query's result as a vector (a scalar result is one sample without labels). */
  List<Sample> evaluate(Scrapes scrapes) {
    Value value = root.eval(scrapes);
    if (value instanceof Scalar scalar) {
      return List.of(new Sample(Map.of(), scalar.value));
    }
    if (value instanceof Vector vector) {
      return vector.samples;
    }
    throw new IllegalArgumentException("a range vector is not a query result: " + text);
  }

  /**
   * Series from the Prometheus text format, each with {@code targetLabels} added as Prometheus
   * adds its target's labels at scrape time.
   */
  static List<Sample> parseText(String body, Map<String, String> targetLabels) {
    List<Sample> samples = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>(targetLabels);
      int i = 0;
      while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
        i++;
      }
      labels.put("__name__", line.substring(0, i));
      if (i < line.length() && line.charAt(i) == '{') {
        i++;
        while (line.charAt(i) != '}') {
          int eq = line.indexOf('=', i);
          String label = line.substring(i, eq);
          StringBuilder value = new StringBuilder();
          int j = eq + 2;
          for (; line.charAt(j) != '"'; j++) {
            char c = line.charAt(j);
            if (c == '\\') {
              char next = line.charAt(++j);
              value.append(next == 'n' ? '\n' : next);
            } else {
              value.append(c);
            }
          }
          labels.put(label, value.toString());
          i = j + 1;
          if (line.charAt(i) == ',') {
            i++;
          }
        }
        i++;
      }
      String number = line.substring(i).trim().split("\\s+")[0];
      samples.add(new Sample(labels, switch (number) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> Double.parseDouble(number);
      }));
    }
    return samples;
  }

  // --- values -------------------------------------------------------------------------------

  private sealed interface Value permits Scalar, Vector, Range {
  }

  private record Scalar(double value) implements Value {
  }

  private record Vector(List<Sample> samples) implements Value {
  }

  private record Range(Selector selector) implements Value {
  }

  private interface Node {
    Value eval(Scrapes scrapes);
  }

  // --- grammar: expr := term (+|- term)*, term := unary (*|/ unary)* --------------------------

  private Node expression() {
    Node left = term();
    while (peek('+') || peek('-')) {
      char op = text.charAt(pos++);
      Node l = left;
      Node r = term();
      left = s -> binary(op, l.eval(s), r.eval(s));
    }
    return left;
  }

  private Node term() {
    Node left = unary();
    while (peek('*') || peek('/')) {
      char op = text.charAt(pos++);
      Node l = left;
      Node r = unary();
      left = s -> binary(op, l.eval(s), r.eval(s));
    }
    return left;
  }

  private Node unary() {
    skipSpace();
    if (peek('(')) {
      pos++;
      Node inner = expression();
      expect(')');
      return inner;
    }
    char c = text.charAt(pos);
    if (Character.isDigit(c) || c == '.') {
      int start = pos;
      while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
        pos++;
      }
      double number = Double.parseDouble(text.substring(start, pos));
      return s -> new Scalar(number);
    }
    int start = pos;
    String word = identifier();
    skipSpace();
    switch (word) {
      case "sum", "avg", "min", "max", "count" -> {
        return aggregation(word);
      }
      case "rate", "increase" -> {
        expect('(');
        Node range = unary();
        expect(')');
        return s -> rangeFunction(word, range.eval(s), s);
      }
      case "clamp_min", "clamp_max" -> {
        expect('(');
        Node vector = expression();
        expect(',');
        Node bound = expression();
        expect(')');
        return s -> clamp(word, vector.eval(s), bound.eval(s));
      }
      default -> {
        if (peek('(')) {
          pos = start;
          throw error("unsupported function " + word);
        }
        return selector(word);
      }
    }
  }

  private Node aggregation(String op) {
    List<String> grouping = null;
    boolean without = false;
    if (peekWord("by") || peekWord("without")) {
      without = identifier().equals("without");
      grouping = labelList();
    }
    expect('(');
    Node inner = expression();
    expect(')');
    if (grouping == null && (peekWord("by") || peekWord("without"))) {
      without = identifier().equals("without");
      grouping = labelList();
    }
    List<String> labels = grouping;
    boolean drop = without;
    return s -> aggregate(op, labels, drop, inner.eval(s));
  }

  private List<String> labelList() {
    expect('(');
    List<String> labels = new ArrayList<>();
    while (!peek(')')) {
      labels.add(identifier());
      if (peek(',')) {
        pos++;
      }
    }
    expect(')');
    return labels;
  }

  private Node selector(String name) {
    List<Matcher> matchers = new ArrayList<>();
    if (peek('{')) {
      pos++;
      while (!peek('}')) {
        String label = identifier();
        skipSpace();
        String op;
        if (text.startsWith("=~", pos) || text.startsWith("!=", pos) || text.startsWith("!~", pos)) {
          op = text.substring(pos, pos + 2);
          pos += 2;
        } else if (peek('=')) {
          op = "=";
          pos++;
        } else {
          throw error("expected a label matcher");
        }
        matchers.add(new Matcher(label, op, string()));
        if (peek(',')) {
          pos++;
        }
      }
      pos++;
    }
    Selector selector = new Selector(name, List.copyOf(matchers));
    selectors.add(selector);
    if (peek('[')) {
      pos++;
      int end = text.indexOf(']', pos);
      if (end < 0 || !text.substring(pos, end).trim().matches("\\d+[smhdw]")) {
        throw error("expected a range like [2m]");
      }
      pos = end + 1;
      return s -> new Range(selector);
    }
    return s -> new Vector(s.latest().stream().filter(selector::matches).toList());
  }

  // --- evaluation ---------------------------------------------------------------------------

  private static Value rangeFunction(String function, Value argument, Scrapes scrapes) {
    if (!(argument instanceof Range range)) {
      throw new IllegalArgumentException(function + " needs a range vector");
    }
    Map<Map<String, String>, Double> before = new HashMap<>();
    scrapes.earlier().stream().filter(range.selector()::matches).forEach(s -> before.put(s.labels(), s.value()));
    List<Sample> out = new ArrayList<>();
    for (Sample now : scrapes.latest()) {
      Double then = before.get(now.labels());
      if (then != null && range.selector().matches(now)) {
        double increase = now.value() >= then ? now.value() - then : now.value();
        out.add(new Sample(withoutName(now.labels()), function.equals("rate") ? increase / scrapes.seconds() : increase));
      }
    }
    return new Vector(out);
  }

  private static Value clamp(String function, Value vector, Value bound) {
    if (!(vector instanceof Vector v) || !(bound instanceof Scalar b)) {
      throw new IllegalArgumentException(function + " takes a vector and a scalar");
    }
    return new Vector(v.samples().stream().map(s -> new Sample(withoutName(s.labels()),
      function.equals("clamp_min") ? Math.max(s.value(), b.value()) : Math.min(s.value(), b.value()))).toList());
  }

  private static Value aggregate(String op, List<String> grouping, boolean without, Value input) {
    if (!(input instanceof Vector vector)) {
      throw new IllegalArgumentException(op + " needs an instant vector");
    }
    Map<Map<String, String>, List<Double>> groups = new LinkedHashMap<>();
    for (Sample sample : vector.samples()) {
      Map<String, String> key = new TreeMap<>();
      if (grouping != null && without) {
        key.putAll(withoutName(sample.labels()));
        grouping.forEach(key::remove);
      } else if (grouping != null) {
        grouping.stream().filter(sample.labels()::containsKey).forEach(l -> key.put(l, sample.labels().get(l)));
      }
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(sample.value());
    }
    List<Sample> out = new ArrayList<>();
    groups.forEach((labels, values) -> out.add(new Sample(labels, switch (op) {
      case "sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
      case "avg" -> values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      case "min" -> values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      case "max" -> values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      case "count" -> values.size();
      default -> throw new IllegalStateException(op);
    })));
    return new Vector(out);
  }

  private static Value binary(char op, Value left, Value right) {
    if (left instanceof Scalar l && right instanceof Scalar r) {
      return new Scalar(apply(op, l.value(), r.value()));
    }
    if (left instanceof Vector l && right instanceof Scalar r) {
      return new Vector(l.samples().stream().map(s -> new Sample(withoutName(s.labels()), apply(op, s.value(), r.value()))).toList());
    }
    if (left instanceof Scalar l && right instanceof Vector r) {
      return new Vector(r.samples().stream().map(s -> new Sample(withoutName(s.labels()), apply(op, l.value(), s.value()))).toList());
    }
    if (left instanceof Vector l && right instanceof Vector r) {
      Map<Map<String, String>, Sample> rightBySignature = new HashMap<>();
      for (Sample s : r.samples()) {
        if (rightBySignature.put(withoutName(s.labels()), s) != null) {
          throw new IllegalArgumentException("many-to-many matching: two series on the right with labels " + withoutName(s.labels()));
        }
      }
      List<Sample> out = new ArrayList<>();
      for (Sample s : l.samples()) {
        Sample match = rightBySignature.get(withoutName(s.labels()));
        if (match != null) {
          out.add(new Sample(withoutName(s.labels()), apply(op, s.value(), match.value())));
        }
      }
      return new Vector(out);
    }
    throw new IllegalArgumentException("a range vector in arithmetic");
  }

  private static double apply(char op, double l, double r) {
    return switch (op) {
      case '+' -> l + r;
      case '-' -> l - r;
      case '*' -> l * r;
      case '/' -> l / r;
      default -> throw new IllegalStateException(String.valueOf(op));
    };
  }

  private static Map<String, String> withoutName(Map<String, String> labels) {
    Map<String, String> out = new TreeMap<>(labels);
    out.remove("__name__");
    return out;
  }

  // --- lexing -------------------------------------------------------------------------------

  private String identifier() {
    skipSpace();
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_' || text.charAt(pos) == ':')) {
      pos++;
    }
    if (start == pos) {
      throw error("expected a name");
    }
    return text.substring(start, pos);
  }

  private String string() {
    skipSpace();
    char quote = text.charAt(pos);
    if (quote != '"' && quote != '\'') {
      throw error("expected a quoted string");
    }
    StringBuilder out = new StringBuilder();
    for (pos++; text.charAt(pos) != quote; pos++) {
      if (text.charAt(pos) == '\\') {
        pos++;
      }
      out.append(text.charAt(pos));
    }
    pos++;
    return out.toString();
  }

  private boolean peek(char c) {
    skipSpace();
    return pos < text.length() && text.charAt(pos) == c;
  }

  private boolean peekWord(String word) {
    skipSpace();
    return text.startsWith(word, pos) && (pos + word.length() == text.length()
      || !Character.isLetterOrDigit(text.charAt(pos + word.length())));
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at " + pos + " of: " + text);
  }
}
