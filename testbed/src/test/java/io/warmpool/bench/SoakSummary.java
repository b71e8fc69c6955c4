package io.warmpool.bench;

import io.vertx.core.json.JsonObject;
import io.warmpool.testbed.Machine;
import io.warmpool.testbed.Recorder;
import io.warmpool.testbed.WorkerProcess;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a soak run found, said twice: a summary for whoever ran it, and a markdown block ready
 * for docs/performance.md (the command, the machine, the figures). Also the verdict: the run
 * fails when a job was lost, the worker died, logged an OutOfMemoryError or an ERROR, did not
 * stop cleanly, or its live heap went over the bound. {@code /health} latencies, rejections and
 * a rate not sustained are figures to read, not failures.
 *
 * @param jobs null for a run without job traffic
 */
record SoakSummary(SoakOptions options, Machine machine, Instant startedAt, Path dir, SoakTraffic.Result jobs,
                   HealthProbe.Figures health, List<LiveHeap.Sample> heap, double rssMb, double maxRssMb,
                   FloodStats flood, WorkerProcess.Outcome worker, long outOfMemoryLines, List<String> runProblems) {

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneId.systemDefault());

  /** Why the run failed; empty when it passed. */
  List<String> failures() {
    List<String> failures = new ArrayList<>(runProblems);
    if (jobs != null) {
      failures.addAll(jobs.problems());
      Recorder r = jobs.recorder();
      if (jobs.lost() > 0) {
        failures.add(jobs.lost() + " job(s) lost: " + r.outcome("noTerminalEvent") + " without a terminal event within "
          + options.marginS() + " s (" + r.noReply() + " of them not even answered), " + r.duplicateTerminalEvents()
          + " terminal event(s) twice; e.g. " + r.unexpectedExamples());
      }
    }
    if (worker.diedDuringRun()) {
      failures.add("the worker died during the run");
    }
    if (outOfMemoryLines > 0) {
      failures.add("the worker's log names an OutOfMemoryError (" + outOfMemoryLines + " lines): " + worker.log());
    }
    if (!worker.clean()) {
      failures.add(String.format(Locale.ROOT, "the worker did not stop cleanly: exit code %d%s, %d ERROR line(s)%s, %d process(es) left",
        worker.exitCode(), worker.killed() ? " (killed)" : "", worker.errorLines(),
        worker.firstErrors().isEmpty() ? "" : " e.g. " + worker.firstErrors().get(0), worker.leftoverProcesses()));
    }
    if (maxHeapMb() > options.heapBoundMb()) {
      failures.add(String.format(Locale.ROOT, "the live heap reached %.1f MB, over the bound of %.0f MB", maxHeapMb(),
        options.heapBoundMb()));
    }
    if (heap.size() < 2) {
      failures.add("fewer than two live-heap samples were read: the heap bound is not shown to hold");
    }
    return failures;
  }

  boolean passed() {
    return failures().isEmpty();
  }

  /** The samples under load and at the end: the first one, taken before any load, is the baseline. */
  private List<Double> loadedHeapMb() {
    return heap.stream().skip(1).map(LiveHeap.Sample::heapMb).sorted().toList();
  }

  double maxHeapMb() {
    return heap.stream().mapToDouble(LiveHeap.Sample::heapMb).max().orElse(Double.NaN);
  }

  double medianHeapMb() {
    List<Double> sorted = loadedHeapMb();
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  String text() {
    StringBuilder s = new StringBuilder();
    line(s, "worker: -Xmx%s, %s with %s, on 127.0.0.1", options.heap(), options.conf(), SoakOptions.WORKER_OVERRIDES.encode());
    if (jobs != null) {
      Recorder r = jobs.recorder();
      line(s, "jobs: %s; asked %.1f/s, sent %d of %d arrivals in %.0f s = %.1f/s; held back by the in-flight cap (%d): %d,"
          + " %d of them in the first %d s (most waiting at once %d, never sent %d): %s",
        SoakTraffic.VALUE.length() + "-char echo with " + SoakTraffic.OUTPUTS + " outputs", options.rate(), jobs.sent(),
        jobs.arrivals(), jobs.arrivalSeconds(), sentRate(), options.maxInFlight(), jobs.heldBack(), jobs.heldBackInWarmup(),
        jobs.warmupSeconds(), jobs.maxBacklog(), jobs.neverSent(), sustained());
      line(s, "outcomes: %s; rejected by reason %s; failed by reason %s; errors %s", nonZero(r.outcomes()),
        r.rejectedByReason(), r.failedByReason(), r.errorsByCode());
      line(s, "completed %.1f/s; outputs received %d (%d expected: %d per completed job); late terminal events %d, stray %d",
        r.outcome("completed") / Math.max(1e-9, jobs.arrivalSeconds()), jobs.outputs(), SoakTraffic.OUTPUTS * r.outcome("completed"),
        SoakTraffic.OUTPUTS, r.lateTerminalEvents(), r.strayEvents());
      line(s, "lost: %d (no terminal event within %d s: %d, terminal event twice: %d)", jobs.lost(), options.marginS(),
        r.outcome("noTerminalEvent"), r.duplicateTerminalEvents());
      line(s, "start latency (submit written → started read): p50 %.2f ms, p99 %.2f ms, max %.1f ms",
        r.startLatencyMs(50), r.startLatencyMs(99), r.startLatencyMs(100));
    } else {
      line(s, "jobs: none (misbehaving clients only)");
    }
    if (options.flooders() > 0) {
      line(s, "misbehaving clients: %d, %d connections (%d failed to connect: %s), frames sent %d %s",
        options.flooders(), flood.connections.sum(), flood.connectFailures().values().stream().mapToLong(Long::longValue).sum(),
        flood.connectFailures(), flood.framesSent(), flood.framesByKind());
      line(s, "closed by the worker: %s; read again without a close (stuck otherwise): %d", flood.closes(),
        flood.resumedNotClosed.sum());
    }
    line(s, "/health every %d ms, timeout %d ms: %d requests, p50 %.2f ms, p99 %.2f ms, max %.1f ms; over %d ms: %d;"
        + " timeouts %d; failures %d; not 200: %d%s", HealthProbe.PERIOD_MS, HealthProbe.TIMEOUT_MS, health.requests(),
      health.p50Ms(), health.p99Ms(), health.maxMs(), HealthProbe.SLOW_MS, health.slow(), health.timeouts(), health.failures(),
      health.notOk(), health.firstFailure() == null ? "" : " (first: " + health.firstFailure() + ")");
    line(s, "live heap after a full GC (jcmd GC.run), MB: %s; under load and at the end: median %.1f, max %.1f; bound %.0f"
        + " (-Xmx%s)", heap.stream().map(h -> String.format(Locale.ROOT, "%ds %.1f", h.atS(), h.heapMb()))
        .collect(Collectors.joining(", ")), medianHeapMb(), maxHeapMb(), options.heapBoundMb(), options.heap());
    line(s, "worker RSS: %.0f MB at the end, %.0f MB at most", rssMb, maxRssMb);
    line(s, "worker stop: exit code %d%s, %d ERROR and %d WARN lines, %d OutOfMemoryError lines, %d process(es) left; log %s",
      worker.exitCode(), worker.killed() ? " (killed)" : "", worker.errorLines(), worker.warnLines(), outOfMemoryLines,
      worker.leftoverProcesses(), worker.log());
    line(s, "note: the clients and the probe run on this machine too: their CPU and the worker's share its %d cores",
      machine.cores());
    s.append('\n').append(table()).append('\n');
    List<String> failures = failures();
    failures.forEach(f -> line(s, "PROBLEM: %s", f));
    line(s, "report: %s", dir.resolve("summary.md"));
    s.append(failures.isEmpty() ? "PASSED" : "FAILED").append('\n');
    return s.toString();
  }

  /** The block for docs/performance.md. */
  String table() {
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "Measured %s with `%s`: %d s on %s. Worker `-Xmx%s`, `%s` with %s. Report: `%s`.%n%n",
      DATE.format(startedAt), options.makeCommand(), options.seconds(), machine.describe(), options.heap(), options.conf(),
      overrides(), dir));
    t.append("| figure | value |\n| --- | ---: |\n");
    if (jobs != null) {
      Recorder r = jobs.recorder();
      row(t, "echo jobs (" + SoakTraffic.VALUE.length() + " chars, " + SoakTraffic.OUTPUTS + " outputs): asked → sent (jobs/s)",
        "%.1f → %.1f (%s)", options.rate(), sentRate(), sustained());
      row(t, "jobs sent / completed / rejected", "%d / %d / %d", jobs.sent(), r.outcome("completed"), r.outcome("rejected"));
      row(t, "rejected by reason", "%s", r.rejectedByReason().isEmpty() ? "none" : r.rejectedByReason().toString());
      row(t, "jobs lost (no terminal event within " + options.marginS() + " s, or two)", "**%d**", jobs.lost());
      row(t, "job start latency p50 / p99 (ms)", "%.2f / %.2f", r.startLatencyMs(50), r.startLatencyMs(99));
    }
    if (options.flooders() > 0) {
      row(t, "misbehaving clients: connections / frames sent", "%d clients, %d connections, %d frames", options.flooders(),
        flood.connections.sum(), flood.framesSent());
      row(t, "misbehaving clients closed by the worker", "%s", flood.closes().isEmpty() ? "none" : flood.closes().entrySet().stream()
        .map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", ")));
    }
    row(t, "`/health` p50 / p99 / max (ms)", "%.2f / %.2f / **%.1f**", health.p50Ms(), health.p99Ms(), health.maxMs());
    row(t, "`/health` answers over " + HealthProbe.SLOW_MS + " ms / timeouts (1 s) / of", "**%d** / %d / %d", health.slow(),
      health.timeouts(), health.requests());
    row(t, "live heap after a full GC: median / max (MB)", "%.1f / **%.1f** (bound %.0f)", medianHeapMb(), maxHeapMb(),
      options.heapBoundMb());
    row(t, "live heap before the load (MB)", "%.1f", heap.isEmpty() ? Double.NaN : heap.get(0).heapMb());
    row(t, "worker RSS: end / max (MB)", "%.0f / %.0f", rssMb, maxRssMb);
    row(t, "worker stopped cleanly, no process left", "%s", worker.clean() && outOfMemoryLines == 0 ? "yes" : "**no**");
    return t.toString();
  }

  /** Whether the worker kept up with the rate, and what the warm-up held back. */
  private String sustained() {
    String warmup = jobs.heldBackInWarmup() == 0 ? "" : ", " + jobs.heldBackInWarmup() + " held back in the first "
      + jobs.warmupSeconds() + " s";
    if (!jobs.sustained()) {
      return "**not sustained**: " + (jobs.heldBack() - jobs.heldBackInWarmup()) + " held back after the first "
        + jobs.warmupSeconds() + " s" + (jobs.neverSent() == 0 ? "" : ", " + jobs.neverSent() + " never sent") + warmup;
    }
    return "sustained" + warmup;
  }

  private double sentRate() {
    return jobs.sent() / Math.max(1e-9, jobs.arrivalSeconds());
  }

  /** The overrides as the docs write keys: {@code pool.maxJobsPerProcess} 100000, … */
  private static String overrides() {
    List<String> keys = new ArrayList<>();
    SoakOptions.WORKER_OVERRIDES.forEach(section -> ((JsonObject) section.getValue()).forEach(key ->
      keys.add("`" + section.getKey() + "." + key.getKey() + "` " + key.getValue())));
    return String.join(", ", keys);
  }

  private static Map<String, Long> nonZero(Map<String, Long> counts) {
    return counts.entrySet().stream().filter(e -> e.getValue() != 0)
      .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
  }

  private static void line(StringBuilder s, String format, Object... args) {
    s.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  private static void row(StringBuilder t, String figure, String format, Object... args) {
    t.append("| ").append(figure).append(" | ").append(String.format(Locale.ROOT, format, args)).append(" |\n");
  }
}
