package io.warmpool.testbed;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The generated parts of {@code docs/performance.md}. Each benchmark owns the text between
 * {@code <!-- bench:ID:begin -->} and {@code <!-- bench:ID:end -->}; everything outside the
 * markers is prose that people write and {@code make bench} leaves alone.
 */
final class PerformanceDoc {

  private PerformanceDoc() {
  }

  static String begin(String id) {
    return "<!-- bench:" + id + ":begin -->";
  }

  static String end(String id) {
    return "<!-- bench:" + id + ":end -->";
  }

  /**
   * {@code doc} with the block of {@code id} replaced by {@code content}; a block not in the
   * document yet is added at its end, so a new benchmark needs no hand edit first.
   */
  static String replace(String doc, String id, String content) {
    String body = content.endsWith("\n") ? content : content + "\n";
    Pattern block = Pattern.compile(Pattern.quote(begin(id)) + ".*?" + Pattern.quote(end(id)), Pattern.DOTALL);
    Matcher matcher = block.matcher(doc);
    String replacement = begin(id) + "\n" + body + end(id);
    if (matcher.find()) {
      return doc.substring(0, matcher.start()) + replacement + doc.substring(matcher.end());
    }
    String separator = doc.isEmpty() || doc.endsWith("\n\n") ? "" : doc.endsWith("\n") ? "\n" : "\n\n";
    return doc + separator + replacement + "\n";
  }
}
