package io.warmpool.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A subscriber that keeps what it is given and requests only what the test asks it to. */
final class TestSubscriber<T> implements Flow.Subscriber<T> {

  final List<T> items = new CopyOnWriteArrayList<>();
  private final CountDownLatch subscribed = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private final long initialRequest;
  volatile Flow.Subscription subscription;
  volatile boolean completed;
  volatile Throwable error;
  /** Signals that came after the end, or before {@code onSubscribe}: each a broken rule. */
  final List<String> violations = new CopyOnWriteArrayList<>();

  TestSubscriber(long initialRequest) {
    this.initialRequest = initialRequest;
  }

  static <T> TestSubscriber<T> unbounded() {
    return new TestSubscriber<>(Long.MAX_VALUE);
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscribed.countDown();
    if (initialRequest > 0) {
      subscription.request(initialRequest);
    }
  }

  @Override
  public void onNext(T item) {
    check("onNext");
    items.add(item);
  }

  @Override
  public void onError(Throwable throwable) {
    check("onError");
    error = throwable;
    ended.countDown();
  }

  @Override
  public void onComplete() {
    check("onComplete");
    completed = true;
    ended.countDown();
  }

  private void check(String signal) {
    if (subscription == null || ended.getCount() == 0) {
      violations.add(signal);
    }
  }

  void request(long n) throws InterruptedException {
    if (!subscribed.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no onSubscribe within 10 s");
    }
    subscription.request(n);
  }

  void awaitEnd() throws InterruptedException {
    if (!ended.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("neither onComplete nor onError within 10 s; got " + items);
    }
  }

  void awaitItems(int count) throws InterruptedException {
    waitFor(count + " items (got " + items.size() + ")", () -> items.size() >= count);
  }

  static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      // polling for the condition, not waiting for an outcome
      Thread.sleep(5);
    }
  }
}
