package io.warmpool.client;

import io.warmpool.Await;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

import static io.warmpool.client.ClientCalls.await;
import static org.assertj.core.api.Assertions.assertThat;

/** A subscriber of a job's events that requests what the test says and keeps what it gets. */
final class EventRecorder implements Flow.Subscriber<JobEvent> {

  final List<JobEvent> items = new CopyOnWriteArrayList<>();
  private final long initial;
  private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final AtomicLong requested = new AtomicLong();
  volatile boolean completed;
  volatile Throwable error;
  volatile boolean overRequested;

  /** @param initial what it requests as it subscribes; 0 for nothing until {@link #request} */
  EventRecorder(long initial) {
    this.initial = initial;
  }

  /** Subscribes a recorder that requests every event. */
  static EventRecorder allOf(SubmittedJob job) {
    EventRecorder events = new EventRecorder(Long.MAX_VALUE);
    job.events().subscribe(events);
    return events;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription.complete(s);
    if (initial > 0) {
      requested.set(initial);
      s.request(initial);
    }
  }

  @Override
  public void onNext(JobEvent item) {
    items.add(item);
    if (items.size() > requested.get()) {
      // kept, not thrown: a subscriber that throws only ends its own subscription
      overRequested = true;
    }
  }

  @Override
  public void onError(Throwable throwable) {
    error = throwable;
    ended.complete(null);
  }

  @Override
  public void onComplete() {
    completed = true;
    ended.complete(null);
  }

  void request(long n) throws Exception {
    requested.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
    await(subscription).request(n);
  }

  void awaitEnd() throws Exception {
    await(ended);
    assertThat(overRequested).as("given more events than requested").isFalse();
  }

  void awaitType(String type) throws Exception {
    Await.waitFor("a " + type + " event", () -> types().contains(type));
  }

  List<String> types() {
    return items.stream().map(JobEvent::type).toList();
  }

  List<Long> seqs() {
    return items.stream().map(JobEvent::seq).toList();
  }
}
