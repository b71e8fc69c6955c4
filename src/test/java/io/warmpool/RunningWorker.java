package io.warmpool;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A worker in a JVM of its own, started like {@code java -jar warmpool.jar}, for signal and exit tests. */
final class RunningWorker implements AutoCloseable {

  final Process process;
  final int port;
  final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private RunningWorker(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static RunningWorker start(Map<String, String> env, String... args) throws IOException {
    int port = freePort();
    Path log = Files.createTempFile("warmpool-worker", ".log");
    List<String> command = new java.util.ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("WARMPOOL_WEB_PORT", Integer.toString(port));
    builder.environment().put("WARMPOOL_LOAD_SOURCE", "jobs");
    builder.environment().putAll(env);
    return new RunningWorker(builder.start(), port, log);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** HTTP status of GET path, or -1 while nothing answers. */
  int status(String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  String body(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
      HttpResponse.BodyHandlers.ofString()).body();
  }

  List<ProcessHandle> children() {
    return process.children().filter(ProcessHandle::isAlive).toList();
  }

  void signal(String name) throws Exception {
    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws Exception {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    descendants.forEach(ProcessHandle::destroyForcibly);
    Files.deleteIfExists(log);
  }
}
