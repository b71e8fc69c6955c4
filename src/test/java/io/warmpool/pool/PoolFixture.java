package io.warmpool.pool;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warmpool.Await;
import io.warmpool.TestChildren;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.JobEvents;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool verticle driven from a test thread, with real child processes ({@link #start}) or
 * in-memory ones ({@link #inMemory}) for tests of the pool's own logic. Load comes only from
 * the test ({@link #load}), never from the machine, so every test is deterministic.
 */
final class PoolFixture implements AutoCloseable {

  final Vertx vertx;
  final WorkerConfig config;
  final List<JsonObject> states = new CopyOnWriteArrayList<>();
  private final Map<String, List<JsonObject>> events = new ConcurrentHashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  /** The in-memory children's launcher; {@code null} with real processes. */
  final FakeLauncher fakes;
  /** The pool's meters. */
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private String deploymentId;

  private PoolFixture(Vertx vertx, JsonObject overrides, FakeLauncher fakes, Boolean cgroups) throws Exception {
    this.vertx = vertx;
    JsonObject all = new JsonObject()
      .put("load", new JsonObject().put("source", "external").put("window", 1))
      .put("pool", new JsonObject().put("maxIdle", 1).put("pingIntervalMs", 500).put("pingTimeoutMs", 5000))
      .mergeIn(overrides, true);
    JsonObject child = all.getJsonObject("child", new JsonObject());
    if (!child.containsKey("command") && !child.containsKey("classpath")) {
      // the test entrypoints, for the Java children
      all.put("child", child.put("classpath", new JsonArray().add(TestChildren.testClasses())));
    }
    this.config = ConfigLoader.fromJson(all, Map.of());
    consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.DEFAULT.jobsEvents(), msg ->
      events.computeIfAbsent(msg.body().getString("jobId"), id -> new CopyOnWriteArrayList<>()).add(msg.body())));
    consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.DEFAULT.poolState(), msg -> states.add(msg.body())));
    this.fakes = fakes;
    PoolVerticle pool;
    if (fakes != null) {
      pool = new PoolVerticle(config, registry, null, v -> fakes);
    } else if (cgroups != null) {
      pool = new PoolVerticle(config, registry, null, v -> new ProcessLauncher(v, config.child(),
        Duration.ofMinutes(1), config.pool().initTimeoutMs(), cgroups));
    } else {
      pool = new PoolVerticle(config, registry);
    }
    deploymentId = await(vertx.deployVerticle(pool));
  }

  /** A pool of real child processes. */
  static PoolFixture start(Vertx vertx, JsonObject overrides) throws Exception {
    return new PoolFixture(vertx, overrides, null, null);
  }

  /** A pool of real child processes, with or without cgroups of their own (where the worker may make them). */
  static PoolFixture start(Vertx vertx, JsonObject overrides, boolean cgroups) throws Exception {
    return new PoolFixture(vertx, overrides, null, cgroups);
  }

  /** A pool of in-memory children ({@link FakeLauncher}): the pool's logic, without processes. */
  static PoolFixture inMemory(Vertx vertx, JsonObject overrides) throws Exception {
    return inMemory(vertx, overrides, fakes -> { });
  }

  /** The same, with the launcher set up by {@code setUp} before the pool starts its first child. */
  static PoolFixture inMemory(Vertx vertx, JsonObject overrides, Consumer<FakeLauncher> setUp) throws Exception {
    FakeLauncher fakes = new FakeLauncher(vertx);
    setUp.accept(fakes);
    return new PoolFixture(vertx, overrides, fakes, null);
  }

  static JsonObject pool(Object... keyValues) {
    return new JsonObject().put("pool", pairs(keyValues));
  }

  static JsonObject pairs(Object... keyValues) {
    JsonObject json = new JsonObject();
    for (int i = 0; i < keyValues.length; i += 2) {
      json.put((String) keyValues[i], keyValues[i + 1]);
    }
    return json;
  }

  /** Publishes an averaged load sample, as the load timer would. */
  void load(double load) {
    vertx.eventBus().publish(Addresses.DEFAULT.load(), new JsonObject().put("load", load).put("source", "test"));
  }

  void load(double load, double perJobHint) {
    vertx.eventBus().publish(Addresses.DEFAULT.load(), new JsonObject().put("load", load).put("loadPerJob", perJobHint));
  }

  JsonObject submit(JsonObject payload) throws Exception {
    return submitRequest(new JsonObject().put("payload", payload));
  }

  JsonObject submitRequest(JsonObject request) throws Exception {
    return await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsSubmit(), request).map(msg -> msg.body()));
  }

  /** Submits and asserts the job was accepted; returns its id. */
  String run(JsonObject payload) throws Exception {
    JsonObject reply = submit(payload);
    assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("accepted");
    return reply.getString("jobId");
  }

  JsonObject cancel(String jobId) throws Exception {
    return await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsCancel(), new JsonObject().put("jobId", jobId))
      .map(msg -> msg.body()));
  }

  JsonObject info() throws Exception {
    return await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.workerInfo(), null).map(msg -> msg.body()));
  }

  List<JsonObject> events(String jobId) {
    return events.getOrDefault(jobId, List.of());
  }

  JsonObject awaitEvent(String jobId, String event) throws Exception {
    waitFor("job " + jobId + " " + event, () -> events(jobId).stream().anyMatch(e -> event.equals(e.getString("event"))));
    return events(jobId).stream().filter(e -> event.equals(e.getString("event"))).findFirst().orElseThrow();
  }

  JsonObject awaitTerminal(String jobId) throws Exception {
    waitFor("a terminal event of job " + jobId, () -> events(jobId).stream().anyMatch(JobEvents::isTerminal));
    List<JsonObject> terminal = events(jobId).stream().filter(JobEvents::isTerminal).toList();
    assertThat(terminal).as("terminal events of %s", jobId).hasSize(1);
    return terminal.get(0);
  }

  /** Waits until the worker info (the pool's state) matches. */
  JsonObject awaitInfo(String what, Predicate<JsonObject> condition) throws Exception {
    JsonObject[] last = new JsonObject[1];
    waitFor(what, () -> condition.test(last[0] = info()));
    return last[0];
  }

  static int poolCount(JsonObject info, String name) {
    return info.getJsonObject("pool").getInteger(name);
  }

  /** The pids of the children alive now, sorted. */
  List<Long> childPids() {
    if (fakes != null) {
      return fakes.launched.stream().filter(c -> !c.exited().isComplete()).map(c -> c.pid).sorted().toList();
    }
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).sorted().toList();
  }

  static void waitFor(String what, Await.Condition condition) throws Exception {
    Await.waitFor(what, condition);
  }

  /**
   * For {@code ms}, every state read passes {@code check}: what must stay true over a spell,
   * where {@link #awaitInfo} waits for something to become true.
   */
  void holdFor(String what, long ms, Consumer<JsonObject> check) throws Exception {
    long from = System.nanoTime();
    waitFor(what, () -> {
      check.accept(info());
      return System.nanoTime() - from > ms * 1_000_000;
    });
  }

  static <T> T await(Future<T> future) throws Exception {
    return Await.await(future);
  }

  /** Undeploys the pool and checks that it left no child process behind. */
  @Override
  public void close() throws Exception {
    if (deploymentId != null) {
      await(vertx.undeploy(deploymentId));
      deploymentId = null;
    }
    for (MessageConsumer<?> consumer : consumers) {
      await(consumer.unregister());
    }
    assertThat(childPids()).as("children left after the pool stopped").isEmpty();
  }
}
