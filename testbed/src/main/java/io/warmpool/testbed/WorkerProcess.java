package io.warmpool.testbed;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.warmpool.config.ConfigException;
import io.warmpool.config.ConfigLoader;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A worker started for one run: {@code java -jar warmpool.jar --conf <file>} with the
 * scenario's overrides merged over the base configuration, on a free port, its output in the
 * report directory. It is stopped as an operator would (SIGTERM, so it drains), killed if it
 * does not stop in time, and neither it nor any of its pooled processes is left running: a JVM
 * shutdown hook covers an interrupted load test too.
 */
public final class WorkerProcess implements AutoCloseable {

  /** The worker's jar, relative to the repository root. */
  static final Path WORKER_JAR = Path.of("target/warmpool.jar");
  static final long HEALTHY_WITHIN_MS = 30_000;
  static final long STOP_WITHIN_MS = 25_000;
  static final long KILL_WITHIN_MS = 5_000;
  /** Pooled processes notice that their parent is gone and exit by themselves within this. */
  static final long ORPHANS_EXIT_WITHIN_MS = 5_000;
  /** The testbed's own defaults, under the scenario's: a stop must not wait a minute for a drain. */
  static final JsonObject TESTBED_DEFAULTS = new JsonObject().put("drain", new JsonObject().put("timeoutMs", 10_000));

  // slf4j-simple lines, with or without a time in front: "12:00:00.000 [main] ERROR Main - …"; JUL and the JVM's own
  private static final Pattern ERROR_LINE = Pattern.compile("^(\\S+ )?\\[[^]]*] ERROR |^SEVERE: |^Exception in thread ");
  private static final Pattern WARN_LINE = Pattern.compile("^(\\S+ )?\\[[^]]*] WARN |^WARNING: ");

  /**
   * How the worker ended.
   *
   * @param exitCode          0 or 143 (SIGTERM) is a clean stop; -1 if it had to be killed
   * @param errorLines        ERROR lines in its log: a healthy run has none
   * @param leftoverProcesses pooled processes still alive after the worker was gone, killed by the load test
   */
  public record Outcome(int exitCode, boolean killed, boolean diedDuringRun, long errorLines, long warnLines,
                        List<String> firstErrors, int leftoverProcesses, Path log) {

    public boolean clean() {
      return !killed && !diedDuringRun && (exitCode == 0 || exitCode == 143) && errorLines == 0 && leftoverProcesses == 0;
    }
  }

  private final Process process;
  private final int port;
  private final Path log;
  private final String token;
  private final ResourceSampler sampler;
  private final Thread hook;
  private Outcome outcome;
  private boolean diedDuringRun;

  private WorkerProcess(Process process, int port, Path log, String token) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.token = token;
    this.sampler = ResourceSampler.of(process.pid());
    this.hook = new Thread(this::stopQuietly, "warmpool-testbed-stop-worker");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * The worker's configuration: {@code baseConf}, then the testbed's defaults, then
   * {@code overrides}, on 127.0.0.1:{@code port}. Checked here with the worker's own rules, so
   * a bad override stops the load test with the worker's one-line message.
   */
  static JsonObject config(Path baseConf, JsonObject overrides, int port) throws ScenarioException {
    JsonObject conf;
    try {
      conf = new JsonObject(Files.readString(baseConf));
    } catch (IOException | DecodeException | ClassCastException e) {
      throw new ScenarioException(baseConf + ": cannot be read as a JSON object (" + e.getMessage() + ")");
    }
    conf.mergeIn(TESTBED_DEFAULTS.copy(), true).mergeIn(overrides.copy(), true);
    conf.mergeIn(new JsonObject().put("web", new JsonObject().put("host", "127.0.0.1").put("port", port)), true);
    try {
      ConfigLoader.fromJson(conf, Map.of());
    } catch (ConfigException e) {
      throw new ScenarioException("worker overrides: " + e.getMessage());
    }
    return conf;
  }

  /**
   * Starts a worker and waits until {@code GET /health} answers 200.
   *
   * @param name names its files in {@code dir}: {@code worker-<name>.json} and {@code worker-<name>.log}
   */
  public static WorkerProcess start(Path baseConf, JsonObject overrides, Path dir, String name)
    throws IOException, ScenarioException, InterruptedException {
    return start(baseConf, overrides, dir, name, List.of());
  }

  /**
   * The same, with options for the worker's JVM ({@code -Xmx256m}): a run that measures the
   * worker's heap gives it a known one.
   */
  public static WorkerProcess start(Path baseConf, JsonObject overrides, Path dir, String name, List<String> jvmOptions)
    throws IOException, ScenarioException, InterruptedException {
    return start(baseConf, overrides, dir, name, jvmOptions, Map.of());
  }

  /**
   * The same, with {@code WARMPOOL_*} variables over the file, as a container's environment sets
   * them (deploy/kubernetes): the worker's own rules apply them, {@code web.host} included.
   */
  public static WorkerProcess start(Path baseConf, JsonObject overrides, Path dir, String name, List<String> jvmOptions,
                                    Map<String, String> env)
    throws IOException, ScenarioException, InterruptedException {
    int port = freePort();
    JsonObject conf = config(baseConf, overrides, port);
    Path confFile = dir.resolve("worker-" + name + ".json");
    Path log = dir.resolve("worker-" + name + ".log");
    Files.writeString(confFile, conf.encodePrettily());
    ProcessBuilder builder = new ProcessBuilder(command(confFile, jvmOptions))
      .redirectErrorStream(true)
      .redirectOutput(log.toFile());
    // the scenario is the whole configuration: a WARMPOOL_* variable of the shell must not change it
    builder.environment().keySet().removeIf(k -> k.startsWith(ConfigLoader.ENV_PREFIX));
    builder.environment().putAll(env);
    String token = conf.getJsonObject("web", new JsonObject()).getString("token");
    WorkerProcess worker = new WorkerProcess(builder.start(), port, log, token);
    try {
      worker.awaitHealthy();
      return worker;
    } catch (IOException | InterruptedException | RuntimeException e) {
      worker.stopQuietly();
      throw e;
    }
  }

  /**
   * {@code java [jvmOptions] -jar target/warmpool.jar --conf <file>}: the worker as
   * {@code make build} leaves it, with its child class archive beside it, so it runs as
   * {@code make run}'s does. The testbed runs from the repository root.
   */
  static List<String> command(Path confFile, List<String> jvmOptions) throws ScenarioException {
    if (!Files.isRegularFile(WORKER_JAR)) {
      throw new ScenarioException(WORKER_JAR.toAbsolutePath() + " is missing: build the worker first (make build)");
    }
    String javaBinary = ProcessHandle.current().info().command()
      .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>();
    command.add(javaBinary);
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", WORKER_JAR.toString(), "--conf", confFile.toString()));
    return command;
  }

  /** A port free on 127.0.0.1 now, for a process that must be told where to listen. */
  static int freePort() throws IOException {
    // web.port 0 would work for the worker but not for us: we must know where to connect
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void awaitHealthy() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
      .timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEALTHY_WITHIN_MS);
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the worker exited with code " + process.exitValue() + " before it was healthy:\n" + tail(log, 15));
      }
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      }
      // polling interval of the health check, not a wait for the outcome itself
      Thread.sleep(100);
    }
    throw new IOException("the worker was not healthy within " + HEALTHY_WITHIN_MS / 1000 + " s (last: " + last + "):\n" + tail(log, 15));
  }

  /**
   * Waits, at most 60 s, until the idle pool is at its maximum and nothing initialises; its
   * {@code pool} state then. A run that measures warm starts begins there.
   */
  public JsonObject awaitWarmPool() throws IOException, InterruptedException {
    return awaitPool("warm", pool -> pool.getInteger("idle", 0) >= pool.getInteger("maxIdle", 0)
      && pool.getInteger("initializing", 0) == 0);
  }

  /**
   * Waits, at most 60 s, until the pool is back at its idle maximum after a burst: nothing runs,
   * nothing initialises, and the surplus idle processes are reaped. A run that follows a burst
   * begins there, without the reaping on its way.
   */
  public JsonObject awaitSettledPool() throws IOException, InterruptedException {
    return awaitPool("settled", pool -> pool.getInteger("idle", 0) == pool.getInteger("maxIdle", 0)
      && pool.getInteger("initializing", 0) == 0 && pool.getInteger("running", 0) == 0);
  }

  private JsonObject awaitPool(String what, Predicate<JsonObject> condition) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/worker"))
      .timeout(Duration.ofSeconds(2)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonObject pool = new JsonObject();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      pool = new JsonObject(response.body()).getJsonObject("pool", new JsonObject());
      if (condition.test(pool)) {
        return pool;
      }
      // polling interval of the pool's state, not a wait for the outcome itself
      Thread.sleep(200);
    }
    throw new IOException("the pool was not " + what + " within 60 s: " + pool.encode());
  }

  public int port() {
    return port;
  }

  /** Its {@code web.token}, which every request of the run must carry; null for none. */
  public String token() {
    return token;
  }

  public long pid() {
    return process.pid();
  }

  public ResourceSampler sampler() {
    return sampler;
  }

  public Path log() {
    return log;
  }

  /** False once the worker has exited; an exit the load test did not ask for is remembered. */
  public boolean checkAlive() {
    boolean alive = process.isAlive();
    if (!alive && outcome == null) {
      diedDuringRun = true;
    }
    return alive;
  }

  /**
   * SIGTERM, so the worker drains and stops its processes; killed if it has not exited within
   * {@value #STOP_WITHIN_MS} ms. Then any of its processes still alive after
   * {@value #ORPHANS_EXIT_WITHIN_MS} ms is killed and counted.
   */
  public synchronized Outcome stop() throws InterruptedException {
    if (outcome != null) {
      return outcome;
    }
    List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
    // a worker that died already has no descendants left to list: its processes of the last sample are the ones to watch
    descendants.addAll(sampler.lastDescendants());
    boolean killed = false;
    process.destroy();
    if (!process.waitFor(STOP_WITHIN_MS, TimeUnit.MILLISECONDS)) {
      descendants.addAll(process.descendants().toList());
      process.destroyForcibly();
      process.waitFor(KILL_WITHIN_MS, TimeUnit.MILLISECONDS);
      killed = true;
    }
    int leftover = 0;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ORPHANS_EXIT_WITHIN_MS);
    for (ProcessHandle child : new java.util.LinkedHashSet<>(descendants)) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      try {
        child.onExit().get(left, TimeUnit.MILLISECONDS);
      } catch (Exception notYet) {
        if (child.isAlive()) {
          leftover++;
          child.destroyForcibly();
        }
      }
    }
    int exitCode = process.isAlive() ? -1 : process.exitValue();
    outcome = readLog(exitCode, killed, leftover);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or about to: nothing to remove
    }
    return outcome;
  }

  private void stopQuietly() {
    try {
      stop();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopQuietly();
  }

  private Outcome readLog(int exitCode, boolean killed, int leftover) {
    long errors = 0;
    long warnings = 0;
    List<String> firstErrors = new ArrayList<>();
    try (Stream<String> lines = Files.lines(log)) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (ERROR_LINE.matcher(line).find()) {
          errors++;
          if (firstErrors.size() < 5) {
            firstErrors.add(line.length() > 300 ? line.substring(0, 300) + "…" : line);
          }
        } else if (WARN_LINE.matcher(line).find()) {
          warnings++;
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      firstErrors.add("the worker's log cannot be read: " + e.getMessage());
      errors++;
    }
    return new Outcome(exitCode, killed, diedDuringRun, errors, warnings, firstErrors, leftover, log);
  }

  /** The last {@code lines} lines of a worker's log, to show why it stopped. */
  public static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
