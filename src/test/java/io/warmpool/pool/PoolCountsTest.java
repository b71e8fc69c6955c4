package io.warmpool.pool;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warmpool.bus.Submission;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;
import io.warmpool.protocol.ProtocolCodec;
import io.warmpool.protocol.WorkerMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static io.warmpool.Await.await;
import static io.warmpool.Await.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/** The pool's counts, derived from children in every state (in-memory children). */
@ExtendWith(VertxExtension.class)
class PoolCountsTest {

  private static final ChildEvents IGNORED = new ChildEvents() {
    @Override
    public void stateChanged() {
    }

    @Override
    public void ready(SupervisedChild child) {
    }

    @Override
    public void jobStarted(SupervisedChild child, Job job) {
    }

    @Override
    public void jobOutput(Job job, Object data) {
    }

    @Override
    public void jobEnded(Job job, JsonObject terminalEvent) {
    }

    @Override
    public void log(SupervisedChild child, Job job, io.warmpool.protocol.ChildMessage.Log record) {
    }

    @Override
    public void killed(SupervisedChild child, ExitCause cause, String detail) {
    }

    @Override
    public void exited(SupervisedChild child, String exit) {
    }
  };

  private final WorkerConfig config;
  private long nextId = 1;

  PoolCountsTest() throws Exception {
    config = ConfigLoader.fromJson(new JsonObject(), Map.of());
  }

  /** A child brought to {@code state} on the given context, having run {@code jobsRun} jobs of {@code maxJobs}. */
  private SupervisedChild child(Vertx vertx, ProcessState state, int jobsRun, int maxJobs) throws Exception {
    FakeLauncher launcher = new FakeLauncher(vertx);
    launcher.childrenGetReady = state != ProcessState.SPAWNED && state != ProcessState.INITIALIZING;
    SupervisedChild child = onContext(vertx, () -> {
      ChildLog log = new ChildLog();
      SupervisedChild c = new SupervisedChild(nextId++, System.nanoTime(), maxJobs, vertx, config, launcher.launch(log), log, IGNORED);
      c.supervise();
      return c;
    });
    if (state == ProcessState.SPAWNED) {
      return child;
    }
    waitFor("connected", () -> child.state() != ProcessState.SPAWNED);
    if (state == ProcessState.INITIALIZING) {
      return child;
    }
    waitFor("idle", () -> child.state() == ProcessState.IDLE);
    for (int i = 0; i < jobsRun; i++) {
      runOneJob(vertx, child);
    }
    if (state == ProcessState.RUNNING) {
      handOver(vertx, child, new JsonObject().put("op", "hang"));
    }
    return child;
  }

  private void runOneJob(Vertx vertx, SupervisedChild child) throws Exception {
    int before = child.jobsRun();
    handOver(vertx, child, new JsonObject().put("op", "echo"));
    waitFor("job " + before + " done", () -> child.jobsRun() > before);
  }

  private void handOver(Vertx vertx, SupervisedChild child, JsonObject payload) throws Exception {
    String id = "job-" + child.id + "-" + child.jobsRun();
    Job job = new Job(new Submission(id, payload, 0, false), ProtocolCodec.encode(new WorkerMessage.Start(id, payload)), System.nanoTime(), 0);
    onContext(vertx, () -> {
      job.assign(child, System.nanoTime());
      child.handOver(job);
      return child;
    });
  }

  private Context context;

  /** Runs on one event loop, as the pool does: children and their timers never cross threads. */
  private <T> T onContext(Vertx vertx, Callable<T> action) throws Exception {
    if (context == null) {
      context = vertx.getOrCreateContext();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        promise.complete(action.call());
      } catch (Exception e) {
        promise.fail(e);
      }
    });
    return await(promise.future());
  }

  @Test
  void countsEachStateFromTheProcesses(Vertx vertx) throws Exception {
    List<SupervisedChild> children = new ArrayList<>();
    children.add(child(vertx, ProcessState.SPAWNED, 0, 1));
    children.add(child(vertx, ProcessState.INITIALIZING, 0, 1));
    children.add(child(vertx, ProcessState.IDLE, 0, 1));
    children.add(child(vertx, ProcessState.RUNNING, 0, 1));

    PoolCounts counts = PoolCounts.of(children);

    assertThat(counts).isEqualTo(new PoolCounts(2, 1, 1, 0, 0));
    assertThat(counts.alive()).isEqualTo(4);
  }

  /** Only these can come back as idle processes over the target (the scale-down keeps them). */
  @Test
  void returningAreTheRunningProcessesThatGoBackToTheIdleQueue(Vertx vertx) throws Exception {
    SupervisedChild overSoftLimit = child(vertx, ProcessState.RUNNING, 0, 10);
    overSoftLimit.recycleAfterJob = true;

    PoolCounts counts = PoolCounts.of(List.of(
      child(vertx, ProcessState.RUNNING, 0, 10),
      child(vertx, ProcessState.RUNNING, 9, 10),
      child(vertx, ProcessState.RUNNING, 0, 1),
      overSoftLimit,
      child(vertx, ProcessState.IDLE, 0, 10)));

    assertThat(counts.running()).isEqualTo(4);
    assertThat(counts.returning()).as("only the first: the others are on their last job").isEqualTo(1);
  }
}
