package io.warmpool.bench;

import io.warmpool.testbed.PrometheusText;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The worker's live heap: a full GC forced with {@code jcmd <pid> GC.run}, then the heap in use
 * right after, from {@code GET /metrics} ({@code jvm_memory_used_bytes{area="heap"}} over all
 * pools). What is left after a full GC is what the worker holds on to: the figure that must
 * stay bounded. The page's WebSocket figures of the same moment go with it.
 *
 * <p>Blocks for the GC and the request: called from the run's main thread only.
 */
final class LiveHeap {

  static final long JCMD_WITHIN_S = 30;
  static final double MB = 1024.0 * 1024.0;

  /**
   * One sample.
   *
   * @param atS            seconds into the run
   * @param heapMb         heap in use right after the full GC
   * @param queuedMb       bytes queued for WebSocket clients ({@code warmpool_ws_queued_bytes})
   * @param pausedClients  clients not read now ({@code warmpool_ws_paused_clients})
   * @param recordsDropped ended jobs' records dropped so far by their bounds
   */
  record Sample(long atS, double heapMb, double queuedMb, long pausedClients, long connections, long recordsDropped) {
  }

  private final long pid;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(2)).build();
  private final HttpRequest metrics;
  private final HealthProbe probe;
  private final List<Sample> samples = new ArrayList<>();

  LiveHeap(long pid, int port, HealthProbe probe) {
    this.pid = pid;
    this.probe = probe;
    this.metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build();
  }

  /** Forces a full GC in the worker, with no health probe in flight (the pause is ours), and reads the heap after it. */
  Sample sample(long atS) throws Exception {
    probe.withoutProbe(() -> {
      gc();
      return null;
    });
    HttpResponse<String> page = http.send(metrics, HttpResponse.BodyHandlers.ofString());
    if (page.statusCode() != 200) {
      throw new IOException("GET /metrics answered " + page.statusCode());
    }
    String text = page.body();
    Sample sample = new Sample(atS,
      PrometheusText.sum(text, "jvm_memory_used_bytes", "area", "heap") / MB,
      PrometheusText.sum(text, "warmpool_ws_queued_bytes") / MB,
      Math.round(PrometheusText.sum(text, "warmpool_ws_paused_clients")),
      Math.round(PrometheusText.sum(text, "warmpool_ws_connections")),
      Math.round(PrometheusText.sum(text, "warmpool_job_records_dropped_total")));
    samples.add(sample);
    return sample;
  }

  List<Sample> samples() {
    return List.copyOf(samples);
  }

  private void gc() throws IOException, InterruptedException {
    // its output goes to a file, so that a jcmd that hangs cannot hold us on a pipe past the bound
    Path output = Files.createTempFile("soak-jcmd", ".txt");
    try {
      Process jcmd = new ProcessBuilder(jcmd(), Long.toString(pid), "GC.run").redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
      if (!jcmd.waitFor(JCMD_WITHIN_S, TimeUnit.SECONDS)) {
        jcmd.destroyForcibly();
        throw new IOException("jcmd " + pid + " GC.run did not end within " + JCMD_WITHIN_S + " s");
      }
      if (jcmd.exitValue() != 0) {
        throw new IOException("jcmd " + pid + " GC.run exited " + jcmd.exitValue() + ": " + Files.readString(output).strip());
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** The jcmd of the JDK the run (and so the worker, which it starts with the same java) runs on. */
  private static String jcmd() {
    Path beside = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    return Files.isExecutable(beside) ? beside.toString() : "jcmd";
  }
}
