package io.warmpool;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.JobEvents;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;
import io.warmpool.pool.PoolVerticle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static io.warmpool.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conformance cases of {@code children/conformance/cases.json}, run through a real pool
 * against every child runtime the project ships: the Java child, the Python SDK and the Node
 * SDK, each with its conformance child. One table, three runtimes: a case that passes for one
 * and not another is a difference between the SDKs, which users would meet as a bug.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceTest {

  private static final Path CASES = Path.of("children/conformance/cases.json");
  private static final Duration EVENT_WAIT = Duration.ofSeconds(20);

  /** A runtime and the command that starts its conformance child from the repository root. */
  private record Runtime(String name, JsonObject child) {
  }

  private static final List<Runtime> RUNTIMES = List.of(
    new Runtime("java", new JsonObject().put("entrypoint", "io.warmpool.child.ConformanceEntrypoint")
      .put("classpath", new JsonArray().add(TestChildren.testClasses()))),
    new Runtime("python", new JsonObject().put("command",
      new JsonArray().add("python3").add(Path.of("children/python/conformance_child.py").toAbsolutePath().toString()))),
    new Runtime("node", new JsonObject().put("command",
      new JsonArray().add("node").add(Path.of("children/node/conformance-child.mjs").toAbsolutePath().toString()))));

  private Vertx vertx;
  private JsonObject table;
  private final Map<String, List<JsonObject>> events = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    table = new JsonObject(Files.readString(CASES));
    consumer = vertx.eventBus().consumer(Addresses.DEFAULT.jobsEvents(), msg ->
      events.computeIfAbsent(msg.body().getString("jobId"), id -> new CopyOnWriteArrayList<>()).add(msg.body()));
    await(consumer.completion());
  }

  @AfterAll
  void stop() throws Exception {
    await(vertx.close());
  }

  @TestFactory
  Stream<DynamicTest> everyRuntimePassesEveryCase() {
    return RUNTIMES.stream().flatMap(runtime -> table.getJsonArray("cases").stream()
      .map(JsonObject.class::cast)
      .map(c -> DynamicTest.dynamicTest(runtime.name() + ": " + c.getString("name"), () -> runCase(runtime, c))));
  }

  /** A child of every runtime notices that its worker was killed (its channel closes) and exits. */
  @TestFactory
  Stream<DynamicTest> everyRuntimeExitsWhenItsWorkerIsKilled() {
    return RUNTIMES.stream().map(runtime -> DynamicTest.dynamicTest(runtime.name(), () -> {
      Map<String, String> env = new java.util.HashMap<>(Map.of("WARMPOOL_POOL_MAXIDLE", "2"));
      if (runtime.child().containsKey("command")) {
        env.put("WARMPOOL_CHILD_COMMAND", runtime.child().getJsonArray("command").encode());
      } else {
        env.put("WARMPOOL_CHILD_ENTRYPOINT", runtime.child().getString("entrypoint"));
        env.put("WARMPOOL_CHILD_CLASSPATH", runtime.child().getJsonArray("classpath").encode());
      }
      try (RunningWorker worker = RunningWorker.start(env)) {
        Await.waitFor("2 warm " + runtime.name() + " children", EVENT_WAIT, () -> worker.status("/health") == 200
          && new JsonObject(worker.body("/worker")).getJsonObject("pool").getInteger("idle") == 2);
        List<ProcessHandle> children = worker.children();
        assertThat(children).hasSizeGreaterThanOrEqualTo(2);

        worker.process.destroyForcibly();

        Await.waitFor("every " + runtime.name() + " child to exit by itself", Duration.ofSeconds(5),
          () -> children.stream().noneMatch(ProcessHandle::isAlive));
      }
    }));
  }

  private void runCase(Runtime runtime, JsonObject testCase) throws Exception {
    JsonObject settings = table.getJsonObject("config").copy();
    settings.getJsonObject("child").mergeIn(runtime.child());
    settings.put("load", new JsonObject().put("source", "external"));
    WorkerConfig config = ConfigLoader.fromJson(settings, Map.of());
    String deployment = await(vertx.deployVerticle(new PoolVerticle(config, new SimpleMeterRegistry())));
    Path marker = Files.createTempFile("warmpool-conformance", ".marker");
    Files.delete(marker);
    try {
      String payload = testCase.getJsonObject("payload").encode().replace("$MARKER", marker.toString());
      JsonObject submission = new JsonObject().put("payload", new JsonObject(payload))
        .put("logs", testCase.getBoolean("logs", false));
      JsonObject reply = await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsSubmit(), submission)).body();
      assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("accepted");
      String jobId = reply.getString("jobId");
      if (testCase.getBoolean("cancel", false)) {
        Await.waitFor("the job to start", EVENT_WAIT, () -> has(jobId, JobEvents.STARTED));
        await(vertx.eventBus().request(Addresses.DEFAULT.jobsCancel(), new JsonObject().put("jobId", jobId)));
      }
      Await.waitFor("the job's terminal event", EVENT_WAIT,
        () -> events.getOrDefault(jobId, List.of()).stream().anyMatch(JobEvents::isTerminal));
      check(testCase.getJsonObject("expect"), jobId, marker, config.job().cancelGraceMs());
    } finally {
      await(vertx.undeploy(deployment));
      Files.deleteIfExists(marker);
    }
  }

  private void check(JsonObject expect, String jobId, Path marker, long graceMs) throws Exception {
    List<JsonObject> all = events.get(jobId);
    List<JsonObject> terminal = all.stream().filter(JobEvents::isTerminal).toList();
    assertThat(terminal).as("terminal events of %s: %s", jobId, all).hasSize(1);
    JsonObject end = terminal.get(0);
    assertThat(end.getString("event")).as("terminal event %s", end).isEqualTo(expect.getString("event"));
    if (expect.containsKey("result")) {
      assertThat(end.getValue("result")).as("result").isEqualTo(expect.getValue("result"));
    }
    if (expect.containsKey("reason")) {
      assertThat(end.getString("reason")).as("reason").isEqualTo(expect.getString("reason"));
    }
    if (expect.containsKey("detailContains")) {
      assertThat(end.getString("detail")).as("detail").contains(expect.getString("detailContains"));
    }
    if (expect.containsKey("outputs")) {
      JsonArray outputs = new JsonArray();
      all.stream().filter(e -> JobEvents.OUTPUT.equals(e.getString("event"))).forEach(e -> outputs.add(e.getValue("data")));
      assertThat(outputs).as("outputs, in order").isEqualTo(expect.getJsonArray("outputs"));
    }
    if (expect.containsKey("logs")) {
      for (Object wanted : expect.getJsonArray("logs")) {
        JsonObject log = (JsonObject) wanted;
        assertThat(all).as("log events of %s", jobId).anySatisfy(e -> {
          assertThat(e.getString("event")).isEqualTo("log");
          assertThat(e.getString("level")).isEqualTo(log.getString("level"));
          assertThat(e.getString("message")).isEqualTo(log.getString("message"));
        });
      }
    }
    if (expect.getBoolean("marker", false)) {
      Await.waitFor("the job to see its cancel and write " + marker, Duration.ofMillis(graceMs + 1000),
        () -> Files.exists(marker));
    }
  }

  private boolean has(String jobId, String event) {
    return events.getOrDefault(jobId, List.of()).stream().anyMatch(e -> event.equals(e.getString("event")));
  }
}
