package io.warmpool.embed;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.VertxExtension;
import io.warmpool.bus.Addresses;
import io.warmpool.config.WorkerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import static io.warmpool.Await.await;
import static io.warmpool.Await.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A pool embedded in a test's Vert.x with real child processes (the demo entrypoint), used
 * through its typed client: each outcome, the events with back-pressure, watch, cancel, the
 * pool's state, and close.
 */
@ExtendWith(VertxExtension.class)
class WarmpoolTest {

  private Warmpool pool;

  /** A pool whose load nobody measures (external, never set): every submission is admitted. */
  static WorkerConfig config(String prefix) throws Exception {
    return WorkerConfig.builder()
      .set("load.source", "external")
      .set("pool.maxIdle", 1)
      .set("bus.prefix", prefix)
      .build();
  }

  @AfterEach
  void close() throws Exception {
    if (pool != null) {
      await(pool.close());
    }
  }

  static JsonObject echo(Object value, int outputs) {
    return new JsonObject().put("op", "echo").put("value", value).put("outputs", outputs);
  }

  /** Every event the stream hands over, and whether it ended. */
  static final class Reader {
    final List<JobEvent> events = new CopyOnWriteArrayList<>();
    final AtomicBoolean ended = new AtomicBoolean();

    Reader(ReadStream<JobEvent> stream) {
      stream.endHandler(v -> ended.set(true)).handler(events::add);
    }

    List<Long> seqs() {
      return events.stream().map(JobEvent::seq).toList();
    }

    List<String> types() {
      return events.stream().map(JobEvent::type).toList();
    }
  }

  @Test
  void aSubmittedJobCompletesWithItsResultAndEveryEventInOrder(Vertx vertx) throws Exception {
    pool = await(Warmpool.deploy(vertx, config("warmpool")));

    SubmittedJob job = await(pool.client().submit(echo("hi", 3)));
    Reader reader = new Reader(job.events());
    JobOutcome outcome = await(job.outcome());

    assertThat(outcome.state()).isEqualTo(JobOutcome.State.COMPLETED);
    assertThat(outcome.jobId()).isEqualTo(job.jobId());
    assertThat(((JsonObject) outcome.result()).getString("value")).isEqualTo("hi");
    assertThat(outcome.reason()).isNull();
    waitFor("the stream to end", reader.ended::get);
    assertThat(reader.types()).containsExactly("started", "output", "output", "output", "completed");
    assertThat(reader.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(reader.events).allSatisfy(event -> assertThat(event.jobId()).isEqualTo(job.jobId()));
  }

  @Test
  void aJobThatThrowsFailsWithItsReasonAndMessage(Vertx vertx) throws Exception {
    pool = await(Warmpool.deploy(vertx, config("warmpool")));

    SubmittedJob job = await(pool.client().submit(new JsonObject().put("op", "no-such-op")));
    JobOutcome outcome = await(job.outcome());

    assertThat(outcome.state()).isEqualTo(JobOutcome.State.FAILED);
    assertThat(outcome.reason()).isEqualTo("error");
    assertThat(outcome.message()).contains("no-such-op");
    assertThat(outcome.result()).isNull();
  }

  @Test
  void aCancelledJobEndsCancelled(Vertx vertx) throws Exception {
    pool = await(Warmpool.deploy(vertx, config("warmpool")));

    SubmittedJob job = await(pool.client().submit(new JsonObject().put("op", "sleep").put("ms", 60_000)));
    Reader reader = new Reader(job.events());
    waitFor("the job to start", () -> reader.types().contains("started"));
    await(job.cancel());

    assertThat(await(job.outcome()).state()).isEqualTo(JobOutcome.State.CANCELLED);
    waitFor("the stream to end", reader.ended::get);
    assertThat(reader.types()).containsExactly("started", "cancelled");
  }

  @Test
  void aRejectedSubmissionFailsWithTheReasonCode(Vertx vertx) throws Exception {
    pool = await(Warmpool.deploy(vertx, config("warmpool")));
    SubmitOptions sameId = new SubmitOptions().setJobId("twice");
    await(await(pool.client().submit(echo(1, 0), sameId)).outcome());

    assertThatThrownBy(() -> await(pool.client().submit(echo(2, 0), sameId)))
      .isInstanceOf(ExecutionException.class)
      .cause().isInstanceOfSatisfying(JobRejectedException.class, rejected -> {
        assertThat(rejected.reason()).isEqualTo("duplicate");
        assertThat(rejected.jobId()).isEqualTo("twice");
        assertThat(rejected.getMessage()).contains("is known already");
      });
    assertThatThrownBy(() -> await(pool.client().submit(echo(3, 0), new SubmitOptions().setJobId("no spaces"))))
      .cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jobId must be");
  }

  @Test
  void aPausedReaderLosesNothingBeyondTheBufferAndFetchHandsOverExactlyWhatWasAsked(Vertx vertx) throws Exception {
    pool = await(Warmpool.deploy(vertx, config("warmpool")));
    int outputs = 300;

    List<Long> replayedFrom = new CopyOnWriteArrayList<>();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (delivery.message().address().equals(Addresses.DEFAULT.jobsGet())) {
        replayedFrom.add(((JsonObject) delivery.message().body()).getLong("fromSeq"));
      }
      delivery.next();
    });

    SubmittedJob job = await(pool.client().submit(echo("many", outputs), new SubmitOptions().setMaxBufferedEvents(20)));
    ReadStream<JobEvent> stream = job.events().pause();
    Reader reader = new Reader(stream);
    // the whole job runs while the reader takes nothing: the stream holds 20 and lets the rest go
    await(job.outcome());
    assertThat(reader.events).isEmpty();

    stream.fetch(5);
    waitFor("5 events", () -> reader.events.size() == 5);
    // a turn of the job's context later, still 5: fetch hands over what was asked, no more
    await(vertx.executeBlocking(() -> reader.events.size()));
    assertThat(reader.events).hasSize(5);

    stream.resume();
    waitFor("the stream to end", reader.ended::get);
    // those beyond the buffer came back from the pool (jobs.get from the last one held), in order, once each
    assertThat(reader.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, outputs + 2).boxed().toList());
    assertThat(reader.types().get(outputs + 1)).isEqualTo("completed");
    assertThat(replayedFrom).as("asked again from the last event held, once the 20 were taken").startsWith(20L);
  }

  @Test
  void aJobSubmittedElsewhereIsWatchedFromItsFirstEvent(Vertx vertx) throws Exception {
    pool = await(Warmpool.deploy(vertx, config("warmpool")));
    // submitted by a bus client of its own, as in docs/event-bus.md
    PoolClient other = PoolClient.create(vertx);
    SubmittedJob submitted = await(other.submit(echo("elsewhere", 2), new SubmitOptions().setJobId("watched-1")));
    await(submitted.outcome());

    SubmittedJob watched = await(pool.client().watch("watched-1"));
    Reader reader = new Reader(watched.events());

    assertThat(await(watched.outcome()).state()).isEqualTo(JobOutcome.State.COMPLETED);
    waitFor("the stream to end", reader.ended::get);
    assertThat(reader.types()).containsExactly("started", "output", "output", "completed");
    assertThatThrownBy(() -> await(pool.client().watch("never-submitted")))
      .cause().isInstanceOfSatisfying(NoSuchJobException.class, e -> assertThat(e.gone()).isFalse());
    assertThatThrownBy(() -> await(pool.client().cancel("never-submitted")))
      .cause().isInstanceOf(NoSuchJobException.class);
    await(other.close());
  }

  @Test
  void aRunningJobWatchedGetsItsLiveEventsAfterTheKeptOnes(Vertx vertx) throws Exception {
    pool = await(Warmpool.deploy(vertx, config("warmpool")));
    SubmittedJob running = await(pool.client().submit(new JsonObject().put("op", "sleep").put("ms", 60_000),
      new SubmitOptions().setJobId("running-1")));
    Reader first = new Reader(running.events());
    waitFor("the job to start", () -> first.types().contains("started"));

    SubmittedJob watched = await(PoolClient.create(vertx).watch("running-1"));
    Reader reader = new Reader(watched.events());
    await(pool.client().cancel("running-1"));

    assertThat(await(watched.outcome()).state()).isEqualTo(JobOutcome.State.CANCELLED);
    waitFor("the stream to end", reader.ended::get);
    assertThat(reader.types()).containsExactly("started", "cancelled");
  }

  @Test
  void thePoolStateStreamStartsWithTheStateNowAndAPausedReaderGetsTheLatest(Vertx vertx) throws Exception {
    pool = await(Warmpool.deploy(vertx, config("warmpool")));
    List<JsonObject> states = new CopyOnWriteArrayList<>();
    PoolStateStream stream = pool.client().poolState();
    stream.handler(states::add);
    waitFor("the state now", () -> !states.isEmpty());
    assertThat(states.get(0).getString("type")).isEqualTo("state");
    assertThat(states.get(0).getString("status")).isEqualTo("available");
    waitFor("the warm process in a state", () -> states.get(states.size() - 1).getJsonObject("pool").getInteger("idle") == 1);

    stream.pause();
    int seen = states.size();
    List<JsonObject> unpaused = new CopyOnWriteArrayList<>();
    PoolStateStream watcher = pool.client().poolState();
    watcher.handler(unpaused::add);
    await(await(pool.client().submit(echo(1, 0))).outcome());
    // the pool publishes several changes meanwhile (running, its process exiting, a new one
    // starting, idle again): one is held. Resumed only once the pool is at rest, so that no
    // change comes after the held one.
    waitFor("the used process gone and its replacement idle", () -> unpaused.stream().anyMatch(s -> count(s, "exiting") > 0)
      && count(unpaused.get(unpaused.size() - 1), "exiting") == 0 && count(unpaused.get(unpaused.size() - 1), "idle") == 1
      && count(unpaused.get(unpaused.size() - 1), "initializing") == 0);
    await(watcher.close());
    stream.resume();
    waitFor("the latest state", () -> states.size() > seen);
    await(vertx.executeBlocking(() -> states.size()));
    assertThat(states).hasSize(seen + 1);
    await(stream.close());
  }

  private static int count(JsonObject state, String processes) {
    return state.getJsonObject("pool").getInteger(processes);
  }

  @Test
  void closeLetsRunningJobsFinishThenLeavesNoChildProcess(Vertx vertx) throws Exception {
    Warmpool closing = await(Warmpool.deploy(vertx, config("warmpool")));
    SubmittedJob job = await(closing.client().submit(new JsonObject().put("op", "sleep").put("ms", 1500)));
    Reader reader = new Reader(job.events());
    waitFor("the job to start", () -> reader.types().contains("started"));

    await(closing.close());

    assertThat(job.outcome().result().state()).as("drained, not ended shutdown").isEqualTo(JobOutcome.State.COMPLETED);
    assertThat(vertx.deploymentIDs()).doesNotContain(closing.deploymentId());
    waitFor("no child process left", () -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
    assertThat(closing.close()).as("closed once").isSameAs(closing.close());
    assertThatThrownBy(() -> await(PoolClient.create(vertx).submit(echo(1, 0))))
      .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("nothing answers at warmpool.jobs.submit");
  }

  @Test
  void undeployingTheVerticleThatDeployedThePoolDrainsItToo(Vertx vertx) throws Exception {
    // the pool is a child deployment of the verticle that deployed it: undeployed first, it drains
    class Application extends VerticleBase {
      Warmpool embedded;

      @Override
      public Future<?> start() throws Exception {
        return Warmpool.deploy(vertx, WarmpoolTest.config("warmpool")).onSuccess(p -> embedded = p);
      }
    }
    Application application = new Application();
    String id = await(vertx.deployVerticle(application));
    SubmittedJob job = await(application.embedded.client().submit(new JsonObject().put("op", "sleep").put("ms", 1000)));
    Reader reader = new Reader(job.events());
    waitFor("the job to start", () -> reader.types().contains("started"));

    await(vertx.undeploy(id));

    assertThat(job.outcome().result().state()).isEqualTo(JobOutcome.State.COMPLETED);
    waitFor("no child process left", () -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void aPoolWhoseWebPortIsTakenFailsToDeployAndLeavesNothingBehind(Vertx vertx) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      WorkerConfig config = WorkerConfig.builder().set("load.source", "external").set("web.port", taken.getLocalPort()).build();

      assertThatThrownBy(() -> await(Warmpool.deploy(vertx, new WarmpoolOptions().setConfig(config).setWeb(true))))
        .cause().hasMessageContaining("in use");
    }
    assertThat(vertx.deploymentIDs()).isEmpty();
    waitFor("no child process left", () -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void aClientOfAPrefixNobodyServesSaysSo(Vertx vertx) {
    assertThatThrownBy(() -> await(PoolClient.create(vertx, "nobody").submit(echo(1, 0))))
      .cause().isInstanceOf(IllegalStateException.class)
      .hasMessageContaining("nothing answers at nobody.jobs.submit");
    assertThatThrownBy(() -> PoolClient.create(vertx, "two words"))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Addresses.PREFIX_RULE);
  }
}
