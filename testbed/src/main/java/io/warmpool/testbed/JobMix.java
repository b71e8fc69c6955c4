package io.warmpool.testbed;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * What the jobs of a run are: demo-entrypoint payloads with weights. A run picks from it with
 * a seeded {@link Random}, so the same scenario sends the same sequence of jobs.
 */
public final class JobMix {

  /** The ops of the demo entrypoint ({@code io.warmpool.demo.DemoEntrypoint}, shipped in the child SDK, children/java) that a scenario may use. */
  static final Set<String> OPS = Set.of("echo", "sleep", "burn", "alloc", "crash", "hang", "spam");

  /**
   * One kind of job.
   *
   * @param expectedMs how long the job should take once started: what its client-side deadline adds
   * @param outcome    the terminal event the job should end with: {@code completed}, or {@code failed} for
   *                   {@code crash} and a {@code hang} with a timeout; any other is a problem of the run
   * @param timeoutMs  sent with the submission (0: none)
   */
  public record Entry(String name, double weight, JsonObject payload, long expectedMs, String outcome, long timeoutMs) {

    /** The CPU the job asks its process to spend: a {@code burn}'s ms, 0 for the ops that wait or echo. */
    public long cpuWorkMs() {
      return "burn".equals(payload.getString("op")) ? payload.getLong("ms", 0L) : 0;
    }
  }

  private final List<Entry> entries;
  private final double[] cumulative;

  JobMix(List<Entry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a job mix needs at least one entry");
    }
    this.entries = List.copyOf(entries);
    cumulative = new double[entries.size()];
    double sum = 0;
    for (int i = 0; i < entries.size(); i++) {
      sum += entries.get(i).weight();
      cumulative[i] = sum;
    }
  }

  public List<Entry> entries() {
    return entries;
  }

  /** An entry with probability weight / total weight. */
  public Entry pick(Random random) {
    double x = random.nextDouble() * cumulative[cumulative.length - 1];
    for (int i = 0; i < cumulative.length; i++) {
      if (x < cumulative[i]) {
        return entries.get(i);
      }
    }
    // x is below the total, so only rounding can get here
    return entries.get(entries.size() - 1);
  }

  /** The longest any job of the mix should take once started. */
  public long longestMs() {
    return entries.stream().mapToLong(Entry::expectedMs).max().orElse(0);
  }

  /** Reads {@code [{"weight": w, "payload": {"op": …, …}, "name": …?, "timeoutMs": …?}, …]}. */
  static JobMix fromJson(JsonFields scenario, String key) throws ScenarioException {
    JsonArray array = scenario.array(key, true);
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonFields entry = scenario.element(key, array, i);
      entry.allowOnly("name", "weight", "payload", "timeoutMs");
      double weight = entry.number("weight", 0.000001, 1e9);
      JsonFields payload = entry.child("payload", true);
      String op = payload.text("op", OPS, null);
      long timeoutMs = entry.whole("timeoutMs", 0, 3_600_000, 0);
      long expectedMs = switch (op) {
        case "sleep", "burn", "alloc" -> payload.whole("ms", 0, 3_600_000, 0);
        case "hang" -> {
          if (timeoutMs == 0) {
            throw new ScenarioException(entry.name("timeoutMs") + " is needed for a hang job: without it the job never ends");
          }
          yield timeoutMs;
        }
        default -> 0;
      };
      String outcome = op.equals("crash") || op.equals("hang") ? "failed" : "completed";
      if (timeoutMs > 0 && timeoutMs < expectedMs) {
        outcome = "failed";
        expectedMs = timeoutMs;
      }
      String name = entry.has("name") ? entry.text("name", Set.of(), null) : op + (expectedMs > 0 ? " " + expectedMs + " ms" : "");
      entries.add(new Entry(name, weight, payload.json().copy(), expectedMs, outcome, timeoutMs));
    }
    return new JobMix(entries);
  }
}
