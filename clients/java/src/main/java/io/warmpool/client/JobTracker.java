package io.warmpool.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The client's side of one followed job: the last {@code seq} it has taken, so that a replay
 * after a reconnect gives each event once, and what it feeds (the outcome, the events). Only
 * the client's thread touches it.
 */
final class JobTracker {

  final String jobId;
  private long lastSeq;
  private boolean ended;
  private final CompletableFuture<JobOutcome> outcome = new CompletableFuture<>();
  private final Broadcast<JobEvent> events;
  private final Executor delivery;
  final SubmittedJob job;

  /** @param fromSeq the {@code seq} of the last event already seen: those up to it are not taken again */
  JobTracker(String jobId, long fromSeq, Executor delivery, int bufferSize) {
    this.jobId = jobId;
    this.lastSeq = fromSeq;
    this.delivery = delivery;
    this.events = Broadcast.heldForFirst(delivery, bufferSize,
      last -> new EventBufferOverflowException(jobId, last == null ? fromSeq : last.seq(), bufferSize));
    this.job = new SubmittedJob(jobId, outcome, events);
  }

  long lastSeq() {
    return lastSeq;
  }

  boolean ended() {
    return ended;
  }

  /** Takes an event numbered above the last one taken; a terminal one ends the job. */
  void accept(JobEvent event) {
    if (ended || event.seq() <= lastSeq) {
      return;
    }
    lastSeq = event.seq();
    events.publish(event);
    if (event.isTerminal()) {
      ended = true;
      events.complete();
      JobOutcome result = JobOutcome.of(event);
      Delivery.run(delivery, () -> outcome.complete(result));
    }
  }

  /** The client can no longer follow the job. */
  void fail(WarmpoolException failure) {
    if (ended) {
      return;
    }
    ended = true;
    events.fail(failure);
    Delivery.run(delivery, () -> outcome.completeExceptionally(failure));
  }
}
