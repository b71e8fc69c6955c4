package com.example;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warmpool.child.Entrypoint;
import io.warmpool.child.JobContext;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Counts the words of a text, leaving out stop words. The "model" is the stop-word table, built
 * once per process in {@link #prewarm}; each job streams one output per line it has counted,
 * stops early when cancelled, and returns the most frequent words.
 *
 * <p>Payload: {@code {"text": "...", "top": 3}}. Result: {@code {"words": N, "top": [{"word": w, "count": c}, ...], "cancelled": false}}.
 */
public final class WordCounter implements Entrypoint {

  private static final Logger LOG = Logger.getLogger(WordCounter.class.getName());

  private Set<String> stopWords;

  @Override
  public void prewarm(JsonObject options) {
    long start = System.nanoTime();
    stopWords = new HashSet<>();
    for (Object word : options.getJsonArray("stopWords", new JsonArray())) {
      stopWords.add(word.toString().toLowerCase(Locale.ROOT));
    }
    LOG.info(() -> "stop-word table of " + stopWords.size() + " words built in "
      + (System.nanoTime() - start) / 1_000_000 + " ms");
  }

  @Override
  public Object run(JobContext context, JsonObject payload) {
    String text = payload.getString("text");
    if (text == null) {
      throw new IllegalArgumentException("the payload needs a \"text\" string");
    }
    int top = payload.getInteger("top", 3);
    Map<String, Integer> counts = new HashMap<>();
    int words = 0;
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length && !context.isCancelled(); i++) {
      for (String word : lines[i].toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
        if (!word.isEmpty() && !stopWords.contains(word)) {
          counts.merge(word, 1, Integer::sum);
          words++;
        }
      }
      context.output(new JsonObject().put("line", i + 1).put("words", words));
    }
    List<JsonObject> frequent = counts.entrySet().stream()
      .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
      .limit(top)
      .map(e -> new JsonObject().put("word", e.getKey()).put("count", e.getValue()))
      .collect(Collectors.toList());
    return new JsonObject().put("words", words).put("top", new JsonArray(frequent))
      .put("cancelled", context.isCancelled());
  }
}
