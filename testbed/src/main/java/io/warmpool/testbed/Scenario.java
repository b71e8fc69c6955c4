package io.warmpool.testbed;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A load test as {@code testbed/scenarios/<name>.json} describes it: how many connections,
 * how long, when jobs arrive, which jobs, and the worker configuration to run them against.
 *
 * @param connections WebSocket connections the jobs are spread over (round robin)
 * @param warmup      {@code pool}: the load starts once the idle pool is at its target;
 *                    {@code none}: at once, while the pool is still filling
 * @param jobMarginMs how long past its expected duration a job may take to end before it counts
 *                    as having no terminal event
 * @param cooldownMs  how long the timeline goes on after the last job ended, to show the pool
 *                    refilling or scaling down
 * @param variants    the runs: one per variant, each against its own worker (the same load, so
 *                    that configurations can be compared); one named after the scenario if the
 *                    file lists none
 * @param expect      what the run must show besides every job ending
 * @param externalLoad the load the run sets on the worker with {@code PUT /load} while it runs
 *                    (the worker needs {@code load.source} external); null: the worker's own
 * @param busyCores   CPUs the load test keeps busy itself while the load runs (other work on the machine)
 */
public record Scenario(
  String name,
  String description,
  int connections,
  long durationMs,
  ArrivalProfile arrival,
  JobMix mix,
  String warmup,
  long seed,
  long jobMarginMs,
  long cooldownMs,
  List<Variant> variants,
  Expect expect,
  ExternalLoad externalLoad,
  double busyCores) {

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
  static final long MAX_DURATION_MS = 3_600_000;

  /** @param worker configuration overrides, merged over the base configuration file */
  public record Variant(String name, String description, JsonObject worker) {
  }

  /**
   * Behaviour the run must show, each checked only when set: the worker went {@code full}, its
   * idle target fell to 0, submissions were rejected, and it became available again afterwards.
   */
  public record Expect(boolean full, boolean targetZero, boolean rejections, boolean recovered) {
    static final Expect NOTHING = new Expect(false, false, false, false);
  }

  /** The longest a run may take after its last arrival: the slowest job plus its margin. */
  public long graceMs() {
    return mix.longestMs() + jobMarginMs;
  }

  /** The scenarios shipped in {@code dir}, by name. */
  public static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
        .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
    }
  }

  /** Reads and checks {@code dir/<name>.json}. */
  public static Scenario load(Path dir, String name) throws ScenarioException {
    return load(dir, name, new JsonObject());
  }

  /**
   * Reads {@code dir/<name>.json} with {@code overrides} put over its top-level fields, then
   * checks it: so the bench can shorten a shipped scenario without a copy of it.
   */
  public static Scenario load(Path dir, String name, JsonObject overrides) throws ScenarioException {
    if (!NAME.matcher(name).matches()) {
      throw new ScenarioException("scenario name '" + name + "' must be lower-case letters, digits and dashes");
    }
    Path file = dir.resolve(name + ".json");
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      String known;
      try {
        known = String.join(", ", names(dir));
      } catch (IOException listing) {
        known = "none: " + dir + " cannot be read";
      }
      throw new ScenarioException(file + ": no such scenario (known: " + known + ")");
    } catch (IOException e) {
      throw new ScenarioException(file + ": cannot be read (" + e.getMessage() + ")");
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ScenarioException(file + ": not a JSON object (" + e.getMessage() + ")");
    }
    overrides.forEach(field -> json.put(field.getKey(), field.getValue()));
    try {
      return fromJson(name, json);
    } catch (ScenarioException e) {
      throw new ScenarioException(file + ": " + e.getMessage());
    }
  }

  static Scenario fromJson(String name, JsonObject json) throws ScenarioException {
    JsonFields fields = new JsonFields("", json);
    fields.allowOnly("description", "connections", "durationMs", "arrival", "mix", "worker", "warmup", "seed",
      "jobMarginMs", "cooldownMs", "variants", "expect", "externalLoad", "busyCores");
    String description = fields.text("description", Set.of(), "");
    int connections = (int) fields.whole("connections", 1, 1000);
    long durationMs = fields.whole("durationMs", 100, MAX_DURATION_MS);
    long seed = fields.whole("seed", Long.MIN_VALUE, Long.MAX_VALUE, 1);
    ArrivalProfile arrival = ArrivalProfile.fromJson(fields.child("arrival", true), durationMs, seed);
    try {
      arrival.schedule(durationMs);
    } catch (IllegalStateException e) {
      throw new ScenarioException("arrival: " + e.getMessage());
    }
    JobMix mix = JobMix.fromJson(fields, "mix");
    JsonObject worker = fields.object("worker", false);
    String warmup = fields.text("warmup", Set.of("pool", "none"), "pool");
    long jobMarginMs = fields.whole("jobMarginMs", 1000, 600_000, 30_000);
    long cooldownMs = fields.whole("cooldownMs", 0, 600_000, 2000);
    List<Variant> variants = variants(fields, name, worker);
    Expect expect = Expect.NOTHING;
    if (fields.has("expect")) {
      JsonFields e = fields.child("expect", true);
      e.allowOnly("full", "targetZero", "rejections", "recovered");
      expect = new Expect(e.flag("full", false), e.flag("targetZero", false), e.flag("rejections", false), e.flag("recovered", false));
    }
    ExternalLoad externalLoad = fields.has("externalLoad") ? ExternalLoad.fromJson(fields.child("externalLoad", true)) : null;
    double busyCores = fields.number("busyCores", 0, 64, 0);
    return new Scenario(name, description, connections, durationMs, arrival, mix, warmup, seed, jobMarginMs, cooldownMs,
      variants, expect, externalLoad, busyCores);
  }

  private static List<Variant> variants(JsonFields fields, String scenarioName, JsonObject worker) throws ScenarioException {
    if (!fields.has("variants")) {
      return List.of(new Variant(scenarioName, "", worker));
    }
    JsonArray array = fields.array("variants", true);
    List<Variant> variants = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      JsonFields variant = fields.element("variants", array, i);
      variant.allowOnly("name", "description", "worker");
      String name = variant.text("name", Set.of(), null);
      if (!NAME.matcher(name).matches()) {
        throw new ScenarioException(variant.name("name") + " must be lower-case letters, digits and dashes, not \"" + name + "\"");
      }
      if (!seen.add(name)) {
        throw new ScenarioException(variant.name("name") + " \"" + name + "\" is used twice");
      }
      // the scenario's overrides, then the variant's over them
      JsonObject merged = worker.copy().mergeIn(variant.object("worker", false), true);
      variants.add(new Variant(name, variant.text("description", Set.of(), ""), merged));
    }
    return List.copyOf(variants);
  }
}
