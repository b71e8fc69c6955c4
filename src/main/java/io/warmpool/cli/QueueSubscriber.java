package io.warmpool.cli;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A subscriber read from a blocking thread: one item requested at a time, the next only once
 * the reader has taken this one, so a slow stdout slows the stream instead of filling memory.
 */
final class QueueSubscriber<T> implements Flow.Subscriber<T> {

  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile Flow.Subscription subscription;
  private volatile Throwable error;

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(1);
  }

  @Override
  public void onNext(T item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable throwable) {
    error = throwable;
    queue.add(END);
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  /** The next item, waiting for it; {@code null} once the stream has ended ({@link #error()} says how). */
  @SuppressWarnings("unchecked")
  T next() throws InterruptedException {
    Object item = queue.take();
    if (item == END) {
      queue.add(END);
      return null;
    }
    subscription.request(1);
    return (T) item;
  }

  /** Why the stream ended, {@code null} when it completed. */
  Throwable error() {
    return error;
  }

  void cancel() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
