package io.warmpool.child;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.gson.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.logging.Logger;

/**
 * A user's job that loads a few libraries, as {@link ChildStartBenchmark} measures it beside
 * the demo: its prewarm parses a document with Jackson's streaming parser and fills an
 * HdrHistogram, and logs through {@code java.util.logging}; a job records a value and answers
 * with a percentile.
 */
public final class LibraryJob implements Entrypoint {

  private static final Logger LOG = Logger.getLogger(LibraryJob.class.getName());

  private final JsonFactory json = new JsonFactory();
  private Histogram latencies;

  @Override
  public void prewarm(JsonObject options) throws Exception {
    latencies = new Histogram(3_600_000L, 3);
    try (JsonParser parser = json.createParser("{\"samples\":[12,15,9,31,18,22,7,40]}")) {
      while (parser.nextToken() != null) {
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
          latencies.recordValue(parser.getLongValue());
        }
      }
    }
    LOG.info("prewarmed with " + latencies.getTotalCount() + " samples");
  }

  @Override
  public Object run(JobContext context, JsonObject payload) {
    latencies.recordValue(payload.has("ms") ? payload.get("ms").getAsLong() : 1);
    JsonObject result = new JsonObject();
    result.addProperty("p50", latencies.getValueAtPercentile(50));
    return result;
  }
}
