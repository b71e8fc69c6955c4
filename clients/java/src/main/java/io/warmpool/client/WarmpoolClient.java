package io.warmpool.client;

import com.google.gson.JsonObject;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of a warmpool worker's WebSocket API ({@code /ws}, docs/websocket.md) for
 * applications that are not Vert.x: submit jobs, follow their events and outcome, watch and
 * cancel jobs by id, follow the pool's state. Thread-safe; every method returns at once.
 *
 * <p>When the connection drops (not by {@link #close()}), the client opens it again, waiting
 * from {@link ClientOptions#setReconnectMinDelay} doubling up to
 * {@link ClientOptions#setReconnectMaxDelay}, and watches every job it follows from the last
 * event it took: none is lost or given twice (as far as the worker kept them,
 * {@code job.maxEventsKept}). A submit whose answer the drop took fails with
 * {@code connection-lost}, unless it carried a job id of the caller's: then it is sent again,
 * and a {@code duplicate} answer means the first one got through, whose job is then followed.
 * The client's threads are daemon threads; {@link #close()} lets them go.
 */
public final class WarmpoolClient implements AutoCloseable {

  private final ClientSession session;

  private WarmpoolClient(ClientSession session) {
    this.session = session;
  }

  /**
   * Connects to the worker. Completes once the worker has answered a first frame, so a wrong
   * token fails here: with a {@link WarmpoolException} {@code unauthorized} (about a second
   * later: the worker delays its answer to a wrong token), {@code unreachable} when no
   * connection could be opened (the first connection is not retried: retry as you see fit),
   * {@code timeout}.
   *
   * @throws IllegalArgumentException when the reconnect delays contradict each other
   */
  public static CompletableFuture<WarmpoolClient> connect(ClientOptions options) {
    ClientOptions copy = new ClientOptions(Objects.requireNonNull(options, "options"));
    ScheduledThreadPoolExecutor loop = new ScheduledThreadPoolExecutor(1, daemon("warmpool-client"));
    // timers of requests answered or of a closed client are dropped, not kept until they fire
    loop.setRemoveOnCancelPolicy(true);
    loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    ExecutorService delivery = Executors.newCachedThreadPool(daemon("warmpool-client-delivery"));
    ClientSession session;
    try {
      session = new ClientSession(copy, loop, delivery);
    } catch (IllegalArgumentException e) {
      loop.shutdown();
      delivery.shutdown();
      throw e;
    }
    WarmpoolClient client = new WarmpoolClient(session);
    return session.start().thenApply(v -> client);
  }

  /** Submits a job with the worker's defaults: an id the worker gives, its {@code job.timeoutMs}, no log events. */
  public CompletableFuture<SubmittedJob> submit(JsonObject payload) {
    return submit(payload, new SubmitOptions());
  }

  /**
   * Submits a job. Completes when the worker has accepted it; fails with a
   * {@link JobRejectedException} (its {@code reason()}: {@code full}, {@code duplicate}…) when
   * the worker did not take it, or a {@link WarmpoolException} ({@code bad-request} naming the
   * field, {@code too-large}, {@code timeout}, {@code connection-lost}, {@code closed}).
   *
   * @param payload what the job's entrypoint receives (a copy is sent: changing it later changes nothing)
   */
  public CompletableFuture<SubmittedJob> submit(JsonObject payload, SubmitOptions options) {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(options, "options");
    return session.submit(payload.deepCopy(), options);
  }

  /** Follows a job submitted elsewhere from its first event: {@link #watch(String, long)} from 0. */
  public CompletableFuture<SubmittedJob> watch(String jobId) {
    return watch(jobId, 0);
  }

  /**
   * Follows a job by its id, submitted by this client or elsewhere: its events numbered above
   * {@code fromSeq} (those the worker still keeps), then every further one, and its outcome. A
   * job that has ended gives its kept events and its terminal one at once. Fails with a
   * {@link WarmpoolException} {@code not-found} (the worker does not know the id) or
   * {@code gone} (the job ended and its record was dropped).
   *
   * @param fromSeq the {@code seq} of the last event already seen; 0 for all
   */
  public CompletableFuture<SubmittedJob> watch(String jobId, long fromSeq) {
    Objects.requireNonNull(jobId, "jobId");
    if (fromSeq < 0) {
      throw new IllegalArgumentException("fromSeq must be >= 0, got " + fromSeq);
    }
    return session.watch(jobId, fromSeq);
  }

  /**
   * Cancels a job by its id. Completes with how the job ended: {@code CANCELLED}, or what it
   * ended with before the cancel came. A running job's process is told to stop and given
   * {@code job.cancelGraceMs}. Fails with {@code not-found} or {@code gone} like {@link #watch}.
   */
  public CompletableFuture<JobOutcome> cancel(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return session.cancel(jobId);
  }

  /**
   * The worker's pool state ({@code {"type":"state","status":…,"load":…,"pool":{…}}},
   * docs/event-bus.md), as the worker sends it: at most ~20 a second, on every change. A new
   * subscriber gets the latest state first. The client subscribes on the worker while this has
   * a subscriber, and again after a reconnect. A subscriber's buffer
   * ({@link ClientOptions#setEventBufferSize}) that fills drops its oldest state: a state says
   * all there is, so the latest is what counts. Completes on {@link #close()}.
   */
  public Flow.Publisher<JsonObject> poolState() {
    return session.poolState;
  }

  /**
   * Closes the connection. What is still waiting fails with {@code closed}: requests, and the
   * outcomes and events of the jobs followed. Those jobs go on on the worker (a dropped
   * connection does not cancel them): another client can watch them by their ids.
   */
  @Override
  public void close() {
    session.close();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
