package io.warmpool.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.warmpool.testbed.PrometheusText;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What idle WebSocket clients cost the worker: a worker (started from target/warmpool.jar, run
 * from the repository root) with 1,000 idle connections subscribed to the pool state, while a
 * job every second changes the state. Prints the worker's heap after a GC-free settle and its
 * CPU share over the measured window. Not a test: run with
 * {@code make bench-idle-connections ARGS="[connections] [seconds]"}.
 */
public final class IdleConnectionsBenchmark {

  public static void main(String[] args) throws Exception {
    int connections = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ProcessBuilder builder = new ProcessBuilder("java", "-jar", "target/warmpool.jar", "--conf", "conf/worker.json")
      .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("WARMPOOL_WEB_PORT", Integer.toString(port));
    builder.environment().put("WARMPOOL_LOAD_SOURCE", "jobs");
    Process worker = builder.start();
    Vertx vertx = Vertx.vertx();
    try {
      HttpClient http = HttpClient.newHttpClient();
      waitForHealth(http, port);
      WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(connections));
      List<WebSocket> sockets = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        WebSocket ws = await(client.connect(port, "127.0.0.1", "/ws"));
        ws.textMessageHandler(text -> { });
        await(ws.writeTextMessage(new JsonObject().put("op", "subscribe").put("topic", "pool").encode()));
        sockets.add(ws);
      }
      double heapBefore = heapUsed(http, port);
      long cpuBefore = cpuTicks(worker.pid());
      long start = System.nanoTime();
      WebSocket submitter = sockets.get(0);
      for (int s = 0; s < seconds; s++) {
        await(submitter.writeTextMessage(new JsonObject().put("op", "submit").put("payload",
          new JsonObject().put("op", "sleep").put("ms", 300)).encode()));
        Thread.sleep(1000);
      }
      double elapsedS = (System.nanoTime() - start) / 1e9;
      double cpuShare = (cpuTicks(worker.pid()) - cpuBefore) / 100.0 / elapsedS;
      double heapAfter = heapUsed(http, port);
      long rssKb = rssKb(worker.pid());
      System.out.printf("connections %d subscribed, %d s with a job a second%n", sockets.size(), seconds);
      System.out.printf("worker heap used: %.1f MB after connecting, %.1f MB at the end%n", heapBefore / 1e6, heapAfter / 1e6);
      System.out.printf("worker CPU: %.1f %% of one core; RSS %d MB%n", cpuShare * 100, rssKb / 1024);
      await(client.close());
    } finally {
      await(vertx.close());
      worker.destroy();
      worker.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static void waitForHealth(HttpClient http, int port) throws Exception {
    for (int i = 0; i < 600; i++) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the worker did not become healthy");
  }

  private static double heapUsed(HttpClient http, int port) throws Exception {
    String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
      HttpResponse.BodyHandlers.ofString()).body();
    return PrometheusText.sum(text, "jvm_memory_used_bytes", "area", "heap");
  }

  private static long cpuTicks(long pid) throws Exception {
    String[] fields = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static long rssKb(long pid) throws Exception {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS"))
      .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).sum();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private IdleConnectionsBenchmark() {
  }
}
