package io.warmpool.embed;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.JobId;
import io.warmpool.bus.SubmitReplies;
import io.warmpool.bus.SubmitRequest;
import io.warmpool.bus.Submission;

import java.util.function.Supplier;

/**
 * A typed client of a pool over the event bus ({@code docs/event-bus.md}): what
 * {@link Warmpool#client()} returns, and what any verticle of the same Vert.x (or, in a cluster,
 * of any node with a pool) can make for itself with {@link #create(Vertx, String)}. Every future
 * completes, and every stream hands over, on the context that made the call.
 */
public final class PoolClient {

  private final Vertx vertx;
  private final Addresses addresses;
  private final JobRouter router;
  private volatile boolean closed;

  private PoolClient(Vertx vertx, Addresses addresses) {
    this.vertx = vertx;
    this.addresses = addresses;
    this.router = new JobRouter(vertx, addresses.jobsEvents());
  }

  /** A client of the pool with the default {@code bus.prefix}, {@value Addresses#DEFAULT_PREFIX}: a standalone worker's. */
  public static PoolClient create(Vertx vertx) {
    return create(vertx, Addresses.DEFAULT_PREFIX);
  }

  /**
   * A client of the pool whose {@code bus.prefix} is {@code prefix}.
   *
   * @throws IllegalArgumentException when {@code prefix} cannot be one
   */
  public static PoolClient create(Vertx vertx, String prefix) {
    return new PoolClient(vertx, Addresses.of(prefix));
  }

  public Addresses addresses() {
    return addresses;
  }

  /** {@link #submit(JsonObject, SubmitOptions)} with the default options. */
  public Future<SubmittedJob> submit(JsonObject payload) {
    return submit(payload, new SubmitOptions());
  }

  /**
   * Submits a job. The job's events are followed from before it is sent, so none is missed.
   *
   * @return the job once the pool has accepted it; failed with a {@link JobRejectedException}
   *         (its {@code reason()}: {@code full}, {@code capacity}, {@code duplicate}…) when the
   *         pool turned it down, an {@link IllegalArgumentException} for a payload or option the
   *         pool does not take, an {@link IllegalStateException} when no pool answers at this
   *         prefix
   */
  public Future<SubmittedJob> submit(JsonObject payload, SubmitOptions options) {
    if (payload == null) {
      return Future.failedFuture(new IllegalArgumentException("payload must be a JSON object"));
    }
    if (options.getJobId() != null && !JobId.isValid(options.getJobId())) {
      return Future.failedFuture(new IllegalArgumentException(JobId.RULE));
    }
    // the id is fixed here, so that the job is followed before it can have an event
    Submission submission = new SubmitRequest(options.getJobId(), payload, options.getTimeoutMs(), options.isLogs()).identified();
    Context context = vertx.getOrCreateContext();
    SubmittedJob job = new SubmittedJob(submission.jobId(), context, this, options.getMaxBufferedEvents(), false);
    return call(context, () -> {
      router.follow(job);
      // JSON, the documented form: the pool, or in a cluster the dispatcher, reads it once
      return vertx.eventBus().<JsonObject>request(addresses.jobsSubmit(), submission.toJson())
        .transform(ar -> {
          if (ar.succeeded() && SubmitReplies.isAccepted(ar.result().body())) {
            return Future.succeededFuture(job);
          }
          router.unfollow(job);
          if (ar.failed()) {
            return Future.failedFuture(BusErrors.of(ar.cause(), addresses.jobsSubmit(), job.jobId()));
          }
          JsonObject rejected = ar.result().body();
          return Future.failedFuture(new JobRejectedException(job.jobId(), rejected.getString("reason"),
            rejected.getDouble("load", 0.0), rejected.getDouble("threshold", 0.0), rejected.getString("message")));
        });
    });
  }

  /**
   * Follows a job submitted elsewhere (another client, the WebSocket, another node): the same
   * shape as a submitted one, its stream starting with the events the pool kept from its first.
   * A job that has ended already has its outcome at once.
   *
   * @return failed with a {@link NoSuchJobException} when the pool does not know the job
   */
  public Future<SubmittedJob> watch(String jobId) {
    if (!JobId.isValid(jobId)) {
      return Future.failedFuture(new IllegalArgumentException(JobId.RULE));
    }
    Context context = vertx.getOrCreateContext();
    SubmittedJob job = new SubmittedJob(jobId, context, this, SubmitOptions.DEFAULT_MAX_BUFFERED_EVENTS, true);
    return call(context, () -> {
      // followed before the record is asked for: an event between the two is brought by the record, or after it
      router.follow(job);
      return record(jobId, 0, context)
        .onFailure(err -> router.unfollow(job))
        .map(record -> {
          if (record.containsKey("terminal")) {
            // ended already: no event will come, and the router forgets a job only at its terminal event
            router.unfollow(job);
          }
          job.watched(record);
          return job;
        });
    });
  }

  /**
   * Cancels a job: it ends {@code cancelled} at once unless it had ended already.
   *
   * @return failed with a {@link NoSuchJobException} when the pool does not know the job
   */
  public Future<Void> cancel(String jobId) {
    if (!JobId.isValid(jobId)) {
      return Future.failedFuture(new IllegalArgumentException(JobId.RULE));
    }
    Context context = vertx.getOrCreateContext();
    return call(context, () -> vertx.eventBus().<JsonObject>request(addresses.jobsCancel(), new JsonObject().put("jobId", jobId))
      .transform(ar -> ar.succeeded() ? Future.<Void>succeededFuture()
        : Future.failedFuture(BusErrors.of(ar.cause(), addresses.jobsCancel(), jobId))));
  }

  /**
   * The pool's state ("Pool state" in {@code docs/event-bus.md}): the current one first, then
   * each change. A paused reader gets only the latest state when it resumes (each is a whole
   * picture: the older ones say nothing the latest does not). {@link PoolStateStream#close()}
   * stops it.
   */
  public PoolStateStream poolState() {
    Context context = vertx.getOrCreateContext();
    PoolStateStream stream = new PoolStateStream(vertx, addresses, context);
    OnContext.run(context, stream::open);
    return stream;
  }

  /**
   * Stops following jobs: outcomes not known yet fail, streams end with that failure. Jobs go
   * on running in the pool; another client can watch them.
   */
  public Future<Void> close() {
    closed = true;
    return router.close(new IllegalStateException("the client was closed before the job ended; watch it again to follow it"));
  }

  /** The job's record, with its kept events above {@code fromSeq}; the reply on {@code context}. */
  Future<JsonObject> record(String jobId, long fromSeq, Context context) {
    return call(context, () -> vertx.eventBus().<JsonObject>request(addresses.jobsGet(),
        new JsonObject().put("jobId", jobId).put("fromSeq", fromSeq))
      .transform(ar -> ar.succeeded() ? Future.succeededFuture(ar.result().body())
        : Future.failedFuture(BusErrors.of(ar.cause(), addresses.jobsGet(), jobId))));
  }

  /**
   * Runs {@code request} on {@code context} once the client listens to the events, and completes
   * there: a request sent from a context is answered on it.
   */
  private <T> Future<T> call(Context context, Supplier<Future<T>> request) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the client is closed"));
    }
    Promise<T> result = Promise.promise();
    router.ready().onComplete(registered -> OnContext.run(context, () -> {
      if (registered.failed()) {
        result.fail(registered.cause());
      } else {
        request.get().onComplete(result);
      }
    }));
    return result.future();
  }
}
