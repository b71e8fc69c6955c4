package io.warmpool.client;

import com.google.gson.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

/**
 * A frame sent (or waiting for a connection to be sent on) whose answer has not come, known by
 * its {@code ref}. Only the client's thread touches it.
 */
final class Pending {

  enum Kind {
    /** The first frame on a connection: its answer says the worker serves this client (the token is right). */
    PROBE,
    SUBMIT,
    WATCH,
    /** A watch the client sends itself after a reconnect, for jobs it follows. */
    REWATCH,
    CANCEL,
    SUBSCRIBE
  }

  final Kind kind;
  final String ref;
  final String jobId;
  /** The job's id was the caller's: a submit that can be sent again. */
  final boolean callerJobId;
  final long fromSeq;
  JsonObject frame;
  final int bytes;
  /** The answer to a submit or a watch. */
  final CompletableFuture<SubmittedJob> job;
  /** The answer to a cancel. */
  final CompletableFuture<JobOutcome> outcome;
  boolean sent;
  /** A submit sent again after a reconnect: a {@code duplicate} then means the first one got through. */
  boolean resent;
  ScheduledFuture<?> timeout;

  private Pending(Kind kind, String ref, JsonObject frame, String jobId, boolean callerJobId, long fromSeq,
                  CompletableFuture<SubmittedJob> job, CompletableFuture<JobOutcome> outcome) {
    this.kind = kind;
    this.ref = ref;
    this.frame = frame;
    this.bytes = frame.toString().getBytes(StandardCharsets.UTF_8).length;
    this.jobId = jobId;
    this.callerJobId = callerJobId;
    this.fromSeq = fromSeq;
    this.job = job;
    this.outcome = outcome;
  }

  static Pending submit(String ref, JsonObject payload, SubmitOptions options) {
    return new Pending(Kind.SUBMIT, ref, ClientFrames.submit(ref, payload, options), options.getJobId(),
      options.getJobId() != null, 0, new CompletableFuture<>(), null);
  }

  static Pending watch(String ref, String jobId, long fromSeq) {
    return new Pending(Kind.WATCH, ref, ClientFrames.watch(ref, jobId, fromSeq), jobId, false, fromSeq,
      new CompletableFuture<>(), null);
  }

  static Pending rewatch(String ref, String jobId, long fromSeq) {
    return new Pending(Kind.REWATCH, ref, ClientFrames.watch(ref, jobId, fromSeq), jobId, false, fromSeq, null, null);
  }

  static Pending cancel(String ref, String jobId) {
    return new Pending(Kind.CANCEL, ref, ClientFrames.cancel(ref, jobId), jobId, false, 0, null, new CompletableFuture<>());
  }

  static Pending probe(String ref) {
    return new Pending(Kind.PROBE, ref, ClientFrames.unsubscribe(ref), null, false, 0, null, null);
  }

  static Pending subscribe(String ref) {
    return new Pending(Kind.SUBSCRIBE, ref, ClientFrames.subscribe(ref), null, false, 0, null, null);
  }

  /** A submit whose first sending got through: the job is followed from its first event instead. */
  static Pending watchInstead(String ref, Pending submit) {
    return new Pending(Kind.WATCH, ref, ClientFrames.watch(ref, submit.jobId, 0), submit.jobId, true, 0, submit.job, null);
  }

  /** Whether a caller waits for it: it is bounded by the request timeout and told of the client's end. */
  boolean isCallers() {
    return job != null || outcome != null;
  }

  /** Whether sending it again after a reconnect is safe: it cannot start a job twice. */
  boolean canResend() {
    return kind == Kind.WATCH || kind == Kind.CANCEL || (kind == Kind.SUBMIT && callerJobId);
  }

  /** Lives and dies with one connection: sent afresh on each. */
  boolean isPerConnection() {
    return kind == Kind.PROBE || kind == Kind.REWATCH || kind == Kind.SUBSCRIBE;
  }

  /** Fails the caller's future, on the delivery threads. */
  void fail(Throwable failure, Executor delivery) {
    answered();
    if (job != null) {
      Delivery.run(delivery, () -> job.completeExceptionally(failure));
    }
    if (outcome != null) {
      Delivery.run(delivery, () -> outcome.completeExceptionally(failure));
    }
  }

  void answered() {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }

  /** How it reads in an error message. */
  String describe() {
    return switch (kind) {
      case SUBMIT -> "submit" + (jobId != null ? " of job " + jobId : "");
      case WATCH, REWATCH -> "watch of job " + jobId;
      case CANCEL -> "cancel of job " + jobId;
      case PROBE -> "first frame";
      case SUBSCRIBE -> "subscribe";
    };
  }
}
