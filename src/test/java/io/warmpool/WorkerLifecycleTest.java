package io.warmpool;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker as a process: start-up errors, signals, drain, and no orphans whatever happens to it. */
@ExtendWith(VertxExtension.class)
class WorkerLifecycleTest {

  private static final long WAIT_MS = 30_000;

  private WebSocketClient client;

  private static void waitFor(String what, long boundMs, Await.Condition condition) throws Exception {
    Await.waitFor(what, java.time.Duration.ofMillis(boundMs), condition);
  }

  private static int idle(RunningWorker worker) throws Exception {
    return new JsonObject(worker.body("/worker")).getJsonObject("pool").getInteger("idle");
  }

  /** Submits a job over the worker's WebSocket and collects every frame. */
  private List<JsonObject> submit(Vertx vertx, RunningWorker worker, JsonObject payload) throws Exception {
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    // held in a field: Vert.x closes a client that is no longer referenced, and its connections with it
    client = vertx.createWebSocketClient();
    WebSocket ws = Await.await(client.connect(worker.port, "127.0.0.1", "/ws").map(socket -> {
      socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
      return socket;
    }));
    Await.await(ws.writeTextMessage(new JsonObject().put("op", "submit").put("ref", "r").put("payload", payload).encode()));
    waitFor("the job to start", WAIT_MS, () -> frames.stream().anyMatch(f -> "started".equals(f.getString("event"))));
    return frames;
  }

  @Test
  void anInvalidConfigStopsStartUpWithOneLineNamingTheKey() throws Exception {
    try (RunningWorker worker = RunningWorker.start(Map.of("WARMPOOL_POOL_MAXIDLE", "-1"))) {
      assertThat(worker.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.process.exitValue()).isEqualTo(2);
      List<String> lines = worker.output().lines().filter(line -> !line.isBlank()).toList();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0)).contains("pool.maxIdle", "-1", "WARMPOOL_POOL_MAXIDLE");
    }
  }

  @Test
  void aChildProgramThatIsNotThereStopsStartUpNamingIt() throws Exception {
    try (RunningWorker worker = RunningWorker.start(Map.of("WARMPOOL_CHILD_COMMAND", "[\"no-such-runtime\",\"job.py\"]"))) {
      assertThat(worker.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.process.exitValue()).isEqualTo(2);
      List<String> lines = worker.output().lines().filter(line -> !line.isBlank()).toList();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0)).contains("child.command", "program \"no-such-runtime\" not found on PATH");
    }
  }

  @Test
  void anUnknownArgumentIsRefusedWithTheUsage() throws Exception {
    try (RunningWorker worker = RunningWorker.start(Map.of(), "--cnf", "x.json")) {
      assertThat(worker.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.process.exitValue()).isEqualTo(2);
      assertThat(worker.output()).contains("unknown argument '--cnf'", "usage:");
    }
  }

  @Test
  void showsTheConfigInForce(Vertx vertx) throws Exception {
    try (RunningWorker worker = RunningWorker.start(Map.of("WARMPOOL_POOL_MAXIDLE", "1"))) {
      waitFor("a warm process", WAIT_MS, () -> worker.status("/health") == 200 && idle(worker) == 1);

      JsonObject config = new JsonObject(worker.body("/worker")).getJsonObject("config");
      assertThat(config.getJsonObject("pool").getInteger("maxIdle")).isEqualTo(1);
      assertThat(config.getJsonObject("load").getString("source")).isEqualTo("jobs");
      assertThat(config.getJsonObject("web").getBoolean("tokenSet")).isFalse();
      worker.body("/metrics");
      assertThat(Files.readAllLines(worker.log)).as("a worker's first minutes log nothing that reads as wrong")
        .noneMatch(line -> line.contains(" WARN "));
    }
  }

  @Test
  void sigtermDrainsRunningJobsThenExitsCleanly(Vertx vertx) throws Exception {
    try (RunningWorker worker = RunningWorker.start(Map.of("WARMPOOL_POOL_MAXIDLE", "1"))) {
      waitFor("a warm process", WAIT_MS, () -> worker.status("/health") == 200 && idle(worker) == 1);
      List<JsonObject> frames = submit(vertx, worker, new JsonObject().put("op", "sleep").put("ms", 2000));
      List<ProcessHandle> children = worker.children();

      worker.signal("TERM");

      waitFor("/health to say draining", WAIT_MS, () -> worker.status("/health") == 503);
      waitFor("the running job to complete", WAIT_MS, () -> frames.stream().anyMatch(f -> "completed".equals(f.getString("event"))));
      assertThat(worker.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.process.exitValue()).isZero();
      assertThat(children).noneMatch(ProcessHandle::isAlive);
    }
  }

  @Test
  void aSecondSignalKillsEveryChildAtOnce(Vertx vertx) throws Exception {
    try (RunningWorker worker = RunningWorker.start(Map.of("WARMPOOL_POOL_MAXIDLE", "1"))) {
      waitFor("a warm process", WAIT_MS, () -> worker.status("/health") == 200 && idle(worker) == 1);
      submit(vertx, worker, new JsonObject().put("op", "hang"));
      List<ProcessHandle> children = worker.children();

      worker.signal("TERM");
      waitFor("/health to say draining", WAIT_MS, () -> worker.status("/health") == 503);
      worker.signal("TERM");

      assertThat(worker.process.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s of the second signal").isTrue();
      assertThat(worker.process.exitValue()).isEqualTo(128 + 15);
      waitFor("every child to be gone", 5_000, () -> children.stream().noneMatch(ProcessHandle::isAlive));
    }
  }

  @Test
  void aSecondSignalKillsWhatTheChildrenStartedToo(Vertx vertx) throws Exception {
    String script = Path.of("src/test/resources/children/tree_child.py").toAbsolutePath().toString();
    try (RunningWorker worker = RunningWorker.start(Map.of("WARMPOOL_POOL_MAXIDLE", "1",
      "WARMPOOL_CHILD_COMMAND", new JsonArray().add("python3").add(script).encode()))) {
      waitFor("a warm process", WAIT_MS, () -> worker.status("/health") == 200 && idle(worker) == 1);
      // a subprocess, one in a session of its own, and a daemon re-parented at once
      List<JsonObject> frames = submit(vertx, worker, new JsonObject().put("op", "fork").put("then", "hang"));
      waitFor("the job's processes", WAIT_MS, () -> frames.stream().anyMatch(f -> "output".equals(f.getString("event"))));
      JsonObject started = frames.stream().filter(f -> "output".equals(f.getString("event"))).findFirst().orElseThrow()
        .getJsonObject("data").getJsonObject("pids");
      List<Long> pids = List.of(started.getLong("plain"), started.getLong("session"), started.getLong("daemon"));

      worker.signal("TERM");
      waitFor("/health to say draining", WAIT_MS, () -> worker.status("/health") == 503);
      worker.signal("TERM");

      assertThat(worker.process.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s of the second signal").isTrue();
      waitFor("every process the job started to be gone", 5_000, () -> pids.stream().noneMatch(WorkerLifecycleTest::alive));
    }
  }

  /** Whether the process runs: neither gone nor a zombie (killed, not yet collected by its new parent). */
  private static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (java.io.IOException gone) {
      return false;
    }
  }

  @Test
  void childrenExitByThemselvesWhenTheWorkerIsKilled(Vertx vertx) throws Exception {
    try (RunningWorker worker = RunningWorker.start(Map.of("WARMPOOL_POOL_MAXIDLE", "2"))) {
      waitFor("2 warm processes", WAIT_MS, () -> worker.status("/health") == 200 && idle(worker) == 2);
      submit(vertx, worker, new JsonObject().put("op", "hang"));
      List<ProcessHandle> children = worker.children();
      assertThat(children).hasSizeGreaterThanOrEqualTo(2);

      worker.process.destroyForcibly();

      waitFor("every child, idle or hung in a job, to exit by itself", 5_000,
        () -> children.stream().noneMatch(ProcessHandle::isAlive));
    }
  }
}
