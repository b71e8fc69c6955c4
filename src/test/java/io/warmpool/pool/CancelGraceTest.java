package io.warmpool.pool;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.pool.FakeLauncher.FakeChild;
import io.warmpool.pool.FakeLauncher.Received;
import io.warmpool.protocol.WorkerMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.warmpool.pool.PoolFixture.pairs;
import static io.warmpool.pool.PoolFixture.poolCount;
import static io.warmpool.pool.PoolFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running job's cancel: the job ends for its clients at once and its process leaves the running
 * count at once, but the process is told {@code cancel}, gets {@code shutdown} only after
 * {@code job.cancelGraceMs}, and is killed {@code pool.closeTimeoutMs} after that.
 */
@ExtendWith(VertxExtension.class)
class CancelGraceTest {

  private PoolFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static JsonObject config(long graceMs, Object... poolKeyValues) {
    return new JsonObject().put("job", pairs("cancelGraceMs", graceMs)).put("pool", pairs(poolKeyValues));
  }

  @Test
  void theChildIsToldCancelAtOnceAndShutdownAfterTheGrace(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, config(1500, "maxIdle", 1));
    String jobId = fixture.run(pairs("op", "sleep", "ms", 60_000));
    fixture.awaitEvent(jobId, "started");
    FakeChild child = fixture.fakes.launched.get(0);

    long cancelledAt = System.nanoTime();
    fixture.cancel(jobId);

    assertThat(fixture.awaitTerminal(jobId).getString("event")).isEqualTo("cancelled");
    // out of the running count, and replaced, while it still has its grace
    fixture.awaitInfo("a replacement idle and none running",
      info -> poolCount(info, "idle") == 1 && poolCount(info, "running") == 0 && poolCount(info, "exiting") == 1);
    assertThat(child.exited().isComplete()).as("the cancelled child is still in its grace").isFalse();
    assertThat((System.nanoTime() - cancelledAt) / 1_000_000).as("ms until cancelled and replaced").isLessThan(1500);

    waitFor("the cancelled child to exit", () -> child.exited().isComplete());
    assertThat(child.receivedTypes()).endsWith("start", "cancel", "shutdown");
    Received cancel = child.received.get(child.received.size() - 2);
    Received shutdown = child.received.get(child.received.size() - 1);
    assertThat(cancel.message()).isEqualTo(new WorkerMessage.Cancel(jobId, 1500));
    assertThat((shutdown.nanos() - cancel.nanos()) / 1_000_000).as("ms from cancel to shutdown").isGreaterThanOrEqualTo(1450);
    assertThat(child.exited().result()).as("exited on shutdown, not killed").isZero();
    assertThat(fixture.events(jobId)).extracting(e -> e.getString("event")).containsExactly("started", "cancelled");
  }

  @Test
  void whatTheCancelledJobSendsAfterwardsIsDropped(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, config(300, "maxIdle", 1));
    String jobId = fixture.submitRequest(new JsonObject().put("payload", pairs("op", "wait-cancel")).put("logs", true))
      .getString("jobId");
    fixture.awaitEvent(jobId, "started");
    FakeChild child = fixture.fakes.launched.get(0);

    fixture.cancel(jobId);

    // the fake answers cancel with a log and a done for the job: neither is a protocol error
    waitFor("the cancelled child to exit", () -> child.exited().isComplete());
    assertThat(child.exited().result()).as("exited on shutdown, not killed").isZero();
    assertThat(child.receivedTypes()).endsWith("cancel", "shutdown");
    assertThat(fixture.events(jobId)).extracting(e -> e.getString("event")).containsExactly("started", "cancelled");
  }

  @Test
  void aGraceOfZeroSendsShutdownRightAfterCancel(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, config(0, "maxIdle", 1));
    String jobId = fixture.run(pairs("op", "sleep", "ms", 60_000));
    fixture.awaitEvent(jobId, "started");
    FakeChild child = fixture.fakes.launched.get(0);

    fixture.cancel(jobId);

    waitFor("the cancelled child to exit", () -> child.exited().isComplete());
    assertThat(child.receivedTypes()).endsWith("start", "cancel", "shutdown");
  }

  @Test
  void aChildThatIgnoresShutdownIsKilledAfterGraceAndCloseTimeout(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, config(200, "maxIdle", 1, "closeTimeoutMs", 300));
    String jobId = fixture.run(pairs("op", "stubborn"));
    fixture.awaitEvent(jobId, "started");
    FakeChild child = fixture.fakes.launched.get(0);

    long cancelledAt = System.nanoTime();
    fixture.cancel(jobId);

    waitFor("the hung child to be killed", () -> child.exited().isComplete());
    assertThat(child.exited().result()).as("killed").isEqualTo(137);
    assertThat((System.nanoTime() - cancelledAt) / 1_000_000).as("ms from cancel to kill").isGreaterThanOrEqualTo(480);
  }

  @Test
  void stoppingThePoolDoesNotWaitForAGrace(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, config(60_000, "maxIdle", 1));
    String jobId = fixture.run(pairs("op", "sleep", "ms", 60_000));
    fixture.awaitEvent(jobId, "started");
    FakeChild child = fixture.fakes.launched.get(0);
    fixture.cancel(jobId);
    fixture.awaitTerminal(jobId);

    long closingAt = System.nanoTime();
    fixture.close();
    fixture = null;

    assertThat((System.nanoTime() - closingAt) / 1_000_000).as("ms to close").isLessThan(5_000);
    assertThat(child.receivedTypes()).endsWith("cancel", "shutdown");
  }

  @Test
  void aWaitingJobIsCancelledWithoutAnyChild(Vertx vertx) throws Exception {
    fixture = PoolFixture.inMemory(vertx, config(60_000, "maxIdle", 0, "maxProcesses", 1));
    String running = fixture.run(pairs("op", "sleep", "ms", 60_000));
    fixture.awaitEvent(running, "started");
    String waiting = fixture.run(pairs("op", "echo"));

    fixture.cancel(waiting);

    assertThat(fixture.awaitTerminal(waiting).getString("event")).isEqualTo("cancelled");
    List<String> sent = fixture.fakes.launched.get(0).receivedTypes();
    assertThat(sent).doesNotContain("cancel");
  }

  @Test
  void aRealProcessOutlivesItsCancelByTheGrace(Vertx vertx) throws Exception {
    fixture = PoolFixture.start(vertx, config(1000, "maxIdle", 1, "closeTimeoutMs", 5000));
    String jobId = fixture.run(pairs("op", "sleep", "ms", 60_000));
    long pid = fixture.awaitEvent(jobId, "started").getLong("pid");

    long cancelledAt = System.nanoTime();
    fixture.cancel(jobId);
    fixture.awaitTerminal(jobId);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("alive while in its grace").contains(true);

    waitFor("process " + pid + " to exit", () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    assertThat((System.nanoTime() - cancelledAt) / 1_000_000).as("ms from cancel to exit").isGreaterThanOrEqualTo(950);
  }
}
