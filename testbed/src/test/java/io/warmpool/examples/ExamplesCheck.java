package io.warmpool.examples;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tries each example as its README tells a stranger to: from the example's own folder,
 * {@code java -jar ../../target/warmpool.jar --conf worker.json}, then the README's first
 * submission over the WebSocket, which must end {@code completed}; then SIGTERM, after which
 * the worker must exit 0 and leave no child behind. Run by {@code make test-examples} after the
 * examples are built ({@code make test-children}: the Java job's jar, the Python SDK's virtual
 * environment, the Node job's {@code npm install}). Exits non-zero on the first failure.
 */
public final class ExamplesCheck {

  private static final Duration READY = Duration.ofSeconds(60);
  private static final Duration JOB = Duration.ofSeconds(60);
  private static final Pattern SUBMIT = Pattern.compile("^\\{\"op\":\"submit\".*$", Pattern.MULTILINE);

  public static void main(String[] args) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    Path jar = root.resolve("target/warmpool.jar");
    // the Python SDK as the Makefile installs it, as examples/python-job/README.md tells a user to
    String pythonEnv = root.resolve("target/python-env/bin").toString();
    List<String> failures = new ArrayList<>();
    for (String example : List.of("java-job", "python-job", "node-job")) {
      try {
        check(root.resolve("examples").resolve(example), jar, example.equals("python-job") ? pythonEnv : null);
        System.out.println("example " + example + ": ok");
      } catch (Exception | AssertionError e) {
        System.out.println("example " + example + ": FAILED: " + e.getMessage());
        failures.add(example);
      }
    }
    if (!failures.isEmpty()) {
      System.exit(1);
    }
  }

  private static void check(Path folder, Path jar, String pathFirst) throws Exception {
    String submit = firstSubmission(Files.readString(folder.resolve("README.md")));
    int port = freePort();
    Path log = Files.createTempFile("warmpool-example", ".log");
    ProcessBuilder builder = new ProcessBuilder("java", "-Xmx384m", "-jar", jar.toString(), "--conf", "worker.json")
      .directory(folder.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("WARMPOOL_WEB_PORT", Integer.toString(port));
    if (pathFirst != null) {
      env.put("PATH", pathFirst + ":" + env.get("PATH"));
    }
    Process worker = builder.start();
    List<ProcessHandle> children = new ArrayList<>();
    try {
      awaitIdleChild(port, worker, log);
      worker.descendants().forEach(children::add);
      String terminal = submitAndAwaitEnd(port, submit);
      if (!terminal.contains("\"event\":\"completed\"")) {
        throw new AssertionError("the README's job did not complete: " + terminal);
      }
      worker.destroy(); // SIGTERM: the worker drains and stops its children
      if (!worker.waitFor(30, TimeUnit.SECONDS) || worker.exitValue() != 0) {
        throw new AssertionError("the worker did not exit 0 within 30 s of SIGTERM; log " + log);
      }
      for (ProcessHandle child : children) {
        try {
          child.onExit().get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          throw new AssertionError("child " + child.pid() + " outlived its worker by 10 s");
        }
      }
    } finally {
      worker.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static String firstSubmission(String readme) {
    Matcher matcher = SUBMIT.matcher(readme);
    if (!matcher.find()) {
      throw new AssertionError("no {\"op\":\"submit\"...} line in the README");
    }
    return matcher.group();
  }

  /** Waits until the worker answers /health and has a warm child. */
  private static void awaitIdleChild(int port, Process worker, Path log) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      if (!worker.isAlive()) {
        throw new AssertionError("the worker exited with " + worker.exitValue() + ": " + Files.readString(log));
      }
      try {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/worker")).build(),
          HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200 && new JsonObject(answer.body()).getJsonObject("pool").getInteger("idle") > 0) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100); // the polling interval, not a wait for the outcome
    }
    throw new AssertionError("no warm child within " + READY.toSeconds() + " s; log " + log + ": " + Files.readString(log));
  }

  /** Submits {@code frame} and returns the job's terminal event. */
  private static String submitAndAwaitEnd(int port, String frame) throws Exception {
    CompletableFuture<String> terminal = new CompletableFuture<>();
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
      .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
          text.append(data);
          if (last) {
            String message = text.toString();
            text.setLength(0);
            if (message.contains("\"type\":\"rejected\"") || message.contains("\"type\":\"error\"")
              || message.matches(".*\"event\":\"(completed|failed|cancelled)\".*")) {
              terminal.complete(message);
            }
          }
          ws.request(1);
          return null;
        }
      }).get(10, TimeUnit.SECONDS);
    socket.sendText(frame, true).get(10, TimeUnit.SECONDS);
    try {
      return terminal.get(JOB.toSeconds(), TimeUnit.SECONDS);
    } finally {
      socket.abort();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private ExamplesCheck() {
  }
}
