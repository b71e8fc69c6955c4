package com.example;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.warmpool.child.Entrypoint;
import io.warmpool.child.JobContext;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

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
    if (options.has("stopWords")) {
      for (JsonElement word : options.getAsJsonArray("stopWords")) {
        stopWords.add(word.getAsString().toLowerCase(Locale.ROOT));
      }
    }
    LOG.info(() -> "stop-word table of " + stopWords.size() + " words built in "
      + (System.nanoTime() - start) / 1_000_000 + " ms");
  }

  @Override
  public Object run(JobContext context, JsonObject payload) {
    JsonElement text = payload.get("text");
    if (text == null || !text.isJsonPrimitive() || !text.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException("the payload needs a \"text\" string");
    }
    int top = payload.has("top") ? payload.get("top").getAsInt() : 3;
    Map<String, Integer> counts = new HashMap<>();
    int words = 0;
    String[] lines = text.getAsString().split("\n");
    for (int i = 0; i < lines.length && !context.isCancelled(); i++) {
      for (String word : lines[i].toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
        if (!word.isEmpty() && !stopWords.contains(word)) {
          counts.merge(word, 1, Integer::sum);
          words++;
        }
      }
      JsonObject progress = new JsonObject();
      progress.addProperty("line", i + 1);
      progress.addProperty("words", words);
      context.output(progress);
    }
    JsonArray frequent = new JsonArray();
    counts.entrySet().stream()
      .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
      .limit(top)
      .forEach(e -> {
        JsonObject entry = new JsonObject();
        entry.addProperty("word", e.getKey());
        entry.addProperty("count", e.getValue());
        frequent.add(entry);
      });
    JsonObject result = new JsonObject();
    result.addProperty("words", words);
    result.add("top", frequent);
    result.addProperty("cancelled", context.isCancelled());
    return result;
  }
}
