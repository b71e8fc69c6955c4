package io.warmpool.testbed;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The report's figures from a known data set, and the shape of its files. */
class ReportWriterTest {

  static final long MS = 1_000_000;
  static final Machine MACHINE = new Machine(2, "test cpu", 1024, "test os", "test java");

  private static Scenario scenario(String expect) throws ScenarioException {
    return Scenario.fromJson("known", new JsonObject("""
      {"description": "a known data set", "connections": 1, "durationMs": 10000,
       "arrival": {"type": "constant", "rate": 100},
       "mix": [{"weight": 1, "payload": {"op": "burn", "ms": 10}}]""" + expect + "}"));
  }

  /**
   * Jobs 1..1000 start after exactly that many ms, then complete; then 20 rejected, 3 failed
   * and 2 that never end.
   */
  private static Recorder knownRecorder(Scenario scenario) {
    Recorder recorder = new Recorder();
    JobMix.Entry entry = scenario.mix().entries().get(0);
    long t = 0;
    for (int i = 1; i <= 1000; i++) {
      String id = "j" + i;
      recorder.submitted(id, entry, t, t + 60_000 * MS);
      recorder.accepted(id);
      recorder.started(id, 1000 + i, t + i * MS);
      recorder.ended(id, "completed", null, t + i * MS + 10 * MS);
      t += MS;
    }
    for (int i = 0; i < 20; i++) {
      recorder.submitted("r" + i, entry, t, t + 60_000 * MS);
      recorder.rejected("r" + i, "full", t + MS);
    }
    for (int i = 0; i < 3; i++) {
      recorder.submitted("f" + i, entry, t, t + 60_000 * MS);
      recorder.accepted("f" + i);
      recorder.ended("f" + i, "failed", "crashed", t + 2 * MS);
    }
    recorder.submitted("lost-accepted", entry, t, t + 60_000 * MS);
    recorder.accepted("lost-accepted");
    recorder.submitted("lost-unanswered", entry, t, t + 60_000 * MS);
    recorder.expireAll();
    return recorder;
  }

  private static Timeline knownTimeline() {
    Timeline timeline = new Timeline();
    timeline.threshold(0.75);
    String[] status = {"available", "available", "full", "full", "available"};
    int[] idle = {2, 2, 0, 0, 1};
    int[] target = {2, 2, 0, 0, 2};
    for (int i = 0; i < status.length; i++) {
      timeline.add(new Timeline.Row(i * Timeline.STEP_MS, status[i], 0.2 * i, 0.2 * i, idle[i], 0, 2, 0, target[i],
        2, 0, i * 10L, i * 9L, i, i * 8L, 150.5, 2 * 50.0, idle[i] * 40.0));
    }
    return timeline;
  }

  /** 6 spawns and 4 reaps in the 10 s of load: 60 events per minute; 3 of the spawns wasted. */
  private static ScalingCounts knownScaling() {
    return new ScalingCounts(Map.of("target", 5L, "demand", 1L), Map.of("surplus", 4L), 2.5, Map.of("surplus", 3L), 1.25);
  }

  private static RunResult run(Scenario scenario) {
    return new RunResult(scenario, scenario.variants().get(0), knownRecorder(scenario), knownTimeline(), 10_000, List.of(), List.of(), null,
      knownScaling());
  }

  @Test
  void percentilesOfAKnownDataSet() throws Exception {
    JsonObject latency = ReportWriter.latency(knownRecorder(scenario("")).startLatencyUs());

    // HdrHistogram keeps 3 significant digits: 0.1 % either way
    assertThat(latency.getLong("count")).isEqualTo(1000);
    assertThat(latency.getDouble("p50")).isCloseTo(500, within(0.5));
    assertThat(latency.getDouble("p90")).isCloseTo(900, within(0.9));
    assertThat(latency.getDouble("p99")).isCloseTo(990, within(1.0));
    assertThat(latency.getDouble("p99.9")).isCloseTo(999, within(1.0));
    assertThat(latency.getDouble("max")).isCloseTo(1000, within(1.0));
    assertThat(latency.getDouble("mean")).isCloseTo(500.5, within(0.5));
  }

  @Test
  void percentilesOfNothingAreNull() {
    JsonObject latency = ReportWriter.latency(new Recorder().startLatencyUs());

    assertThat(latency.getLong("count")).isZero();
    assertThat(latency.getValue("p50")).isNull();
    assertThat(latency.getValue("max")).isNull();
  }

  @Test
  void summaryCountsEveryJobOnceByOutcome(@TempDir Path dir) throws Exception {
    Scenario scenario = scenario("");
    JsonObject summary = ReportWriter.write(dir, scenario, List.of(run(scenario)), Instant.parse("2025-01-01T00:00:00Z"),
      "own worker", MACHINE, "LoadTest --scenario known", false);

    assertThat(new JsonObject(Files.readString(dir.resolve("summary.json")))).isEqualTo(summary);
    assertThat(summary.fieldNames()).contains("scenario", "ok", "problems", "withoutTerminalEvent", "machine", "runs");
    assertThat(summary.getBoolean("ok")).isFalse();
    assertThat(summary.getLong("withoutTerminalEvent")).isEqualTo(2);
    assertThat(summary.getJsonArray("problems").getString(0)).contains("2 jobs got no terminal event (1 of them no reply");
    JsonObject run = summary.getJsonArray("runs").getJsonObject(0);
    JsonObject jobs = run.getJsonObject("jobs");
    assertThat(jobs.getLong("submitted")).isEqualTo(1025);
    assertThat(jobs.getJsonObject("outcomes")).isEqualTo(new JsonObject()
      .put("cancelled", 0).put("completed", 1000).put("error", 0).put("failed", 3).put("noTerminalEvent", 2).put("rejected", 20));
    assertThat(jobs.getJsonObject("rejectedByReason")).isEqualTo(new JsonObject().put("full", 20));
    assertThat(jobs.getJsonObject("failedByReason")).isEqualTo(new JsonObject().put("crashed", 3));
    assertThat(jobs.getDouble("rejectedPercent")).isEqualTo(1.95);
    assertThat(jobs.getLong("unexpectedOutcomes")).isEqualTo(3);
    assertThat(run.getJsonObject("startLatencyMs").getDouble("p50")).isCloseTo(500, within(0.5));
    // the first job was sent at 0 and the last started at 999 ms + 1000 ms
    assertThat(run.getDouble("timeToLastStartMs")).isEqualTo(1999.0);
    JsonObject resources = run.getJsonObject("resources");
    assertThat(resources.getDouble("idleProcessSeconds")).isCloseTo(0.5, within(1e-9));
    // 40 MB a process not running a job, for 0.1 s a sample: 2, 2, 0, 0 and 1 of them
    assertThat(resources.getDouble("idleMemoryMbSeconds")).isCloseTo(0.1 * 40 * 5, within(1e-9));
    assertThat(resources.getDouble("workerPeakRssMb")).isEqualTo(150.5);
    assertThat(resources.getDouble("treePeakRssMb")).isEqualTo(250.5);
    // 1000 completed jobs burning 10 ms each in 10 s of load
    assertThat(run.getDouble("workCpuSecondsPerSecond")).isEqualTo(1.0);
    JsonObject observed = run.getJsonObject("observed");
    assertThat(observed.getBoolean("full")).isTrue();
    assertThat(observed.getBoolean("targetZero")).isTrue();
    assertThat(observed.getBoolean("recoveredAfterFull")).isTrue();
    assertThat(observed.getDouble("fullPercentOfTime")).isEqualTo(40.0);
    assertThat(run.getJsonObject("scaling")).isEqualTo(new JsonObject(
      "{\"spawns\": 6, \"reaps\": 4, \"events\": 10,"
        + " \"byCause\": {\"spawns\": {\"demand\": 1, \"target\": 5}, \"reaps\": {\"surplus\": 4}},"
        + " \"eventsPerMinute\": 60.0, \"spawnCpuSeconds\": 2.5, \"wastedSpawns\": 3,"
        + " \"wastedByCause\": {\"surplus\": 3}, \"wastedSpawnCpuSeconds\": 1.25}"));
  }

  @Test
  void aRunWhoseScalingWasNotCountedSaysSo(@TempDir Path dir) throws Exception {
    Scenario scenario = scenario("");
    RunResult uncounted = new RunResult(scenario, scenario.variants().get(0), knownRecorder(scenario), knownTimeline(), 10_000,
      List.of(), List.of(), null, null);

    JsonObject summary = ReportWriter.write(dir, scenario, List.of(uncounted), Instant.now(), "own worker", MACHINE, "c", false);

    JsonObject run = summary.getJsonArray("runs").getJsonObject(0);
    assertThat(run.containsKey("scaling")).isTrue();
    assertThat(run.getValue("scaling")).isNull();
    assertThat(Files.readString(dir.resolve("report.md"))).contains("| processes spawned (by cause) | – |",
      "| spawn+reap events / min of load | – |");
  }

  @Test
  void unmetExpectationsAreProblems() throws Exception {
    Scenario scenario = scenario(", \"expect\": {\"full\": true, \"rejections\": true}");
    Recorder clean = new Recorder();
    Timeline calm = new Timeline();
    calm.add(new Timeline.Row(0, "available", 0.1, 0.1, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN));

    List<String> problems = new RunResult(scenario, scenario.variants().get(0), clean, calm, 0, List.of(), List.of(), null, null).problems();

    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).startsWith("expected the worker to become full");
    assertThat(problems.get(1)).isEqualTo("expected rejections; there were none");
  }

  @Test
  void timelineCsvHasOneRowPerSample(@TempDir Path dir) throws Exception {
    Scenario scenario = scenario("");
    ReportWriter.write(dir, scenario, List.of(run(scenario)), Instant.now(), "own worker", MACHINE, "c", false);

    List<String> lines = Files.readAllLines(dir.resolve("timeline.csv"));
    assertThat(lines.get(0)).isEqualTo(ReportWriter.CSV_HEADER);
    assertThat(lines).hasSize(6);
    assertThat(lines.get(3)).isEqualTo("known,0.2,full,0.4000,0.4000,0,0,2,0,0,2,0,20,18,2,16,150.5,100.0");
    int columns = ReportWriter.CSV_HEADER.split(",").length;
    assertThat(lines).allSatisfy(line -> assertThat(line.split(",", -1)).hasSize(columns));
  }

  @Test
  void reportMarkdownEmbedsThePlotAndThePngIsAnImage(@TempDir Path dir) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Scenario scenario = scenario("");
    ReportWriter.write(dir, scenario, List.of(run(scenario)), Instant.now(), "own worker", MACHINE, "c", true);

    String md = Files.readString(dir.resolve("report.md"));
    assertThat(md).contains("![known: pool timeline and start latency](plot-known.png)", "| start latency p99 (ms) |",
      "[summary.json](summary.json)", "FAILED", "| processes spawned (by cause) | 6 (demand 1, target 5) |",
      "| processes reaped (by cause) | 4 (surplus 4) |", "| spawn+reap events / min of load | 60.0 |");
    BufferedImage png = ImageIO.read(dir.resolve("plot-known.png").toFile());
    assertThat(png.getWidth()).isEqualTo(ReportPlot.WIDTH);
    assertThat(png.getHeight()).isEqualTo(ReportPlot.TIMELINE_HEIGHT + ReportPlot.HISTOGRAM_HEIGHT);
  }
}
