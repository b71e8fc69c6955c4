package io.warmpool.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A job the worker accepted ({@link WarmpoolClient#submit}) or that the client watches
 * ({@link WarmpoolClient#watch}): its id, its outcome and its events. The client follows it
 * until its terminal event, across reconnects.
 */
public final class SubmittedJob {

  private final String jobId;
  private final CompletableFuture<JobOutcome> outcome;
  private final Flow.Publisher<JobEvent> events;

  SubmittedJob(String jobId, CompletableFuture<JobOutcome> outcome, Flow.Publisher<JobEvent> events) {
    this.jobId = jobId;
    this.outcome = outcome;
    this.events = events;
  }

  public String jobId() {
    return jobId;
  }

  /**
   * How the job ended: completes with its {@link JobOutcome} (a {@code failed} or
   * {@code cancelled} job completes it too, it does not fail it). Fails with a
   * {@link WarmpoolException} only when the client cannot know: {@code closed} (the client was
   * closed; the job goes on, watch it from another client), {@code connection-lost} (no
   * reconnect), {@code gone} or {@code not-found} (after a reconnect the worker no longer had
   * the job: it restarted, or {@code job.retainMs} passed).
   */
  public CompletionStage<JobOutcome> outcome() {
    return outcome.minimalCompletionStage();
  }

  /**
   * The job's events in {@code seq} order, each once, the terminal one last, then
   * {@code onComplete}. The events that come before the first subscriber are held for it, so a
   * subscriber that subscribes right after the submit (or the watch) misses none; a later
   * subscriber gets the events from its subscription on.
   *
   * <p>Each subscriber gets what it requests ({@code request(n)}); what it has not requested
   * waits in a buffer of {@link ClientOptions#setEventBufferSize} events. When that is full, the
   * subscriber gets every event in it and then {@code onError} with an
   * {@link EventBufferOverflowException} that names the last {@code seq} it got: no event is
   * skipped silently, and {@code watch(jobId, lastSeq)} follows the job from there. Events are
   * delivered on the client's delivery threads, never on the thread that reads the socket.
   */
  public Flow.Publisher<JobEvent> events() {
    return events;
  }

  @Override
  public String toString() {
    return "SubmittedJob[" + jobId + "]";
  }
}
