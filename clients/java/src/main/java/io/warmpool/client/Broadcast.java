package io.warmpool.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * A hot publisher: every item published goes to every subscriber there is, each through a
 * bounded buffer of its own ({@link BufferedSubscription}). Two ways to start a subscriber:
 * {@link #heldForFirst} (a job's events: what comes before anyone subscribes is held for the
 * first subscriber, so none is lost between a submit and its subscription) and
 * {@link #latestFirst} (the pool state: each new subscriber starts from the latest item).
 */
final class Broadcast<T> implements Flow.Publisher<T> {

  private final Executor executor;
  private final int capacity;
  private final BufferedSubscription.Overflow overflow;
  private final Function<T, ? extends Throwable> overflowError;
  private final boolean replayLatest;
  /** Told the number of subscribers whenever it changes; on the thread that changed it. */
  private final IntConsumer subscribersChanged;
  private final Object lock = new Object();

  // guarded by lock
  private final List<BufferedSubscription<T>> subscriptions = new ArrayList<>();
  /** The subscription kept for the first subscriber, while it has not come. */
  private BufferedSubscription<T> held;
  private T latest;
  private boolean completed;
  private Throwable error;

  private Broadcast(Executor executor, int capacity, BufferedSubscription.Overflow overflow,
                    Function<T, ? extends Throwable> overflowError, boolean holdForFirst, boolean replayLatest,
                    IntConsumer subscribersChanged) {
    this.executor = executor;
    this.capacity = capacity;
    this.overflow = overflow;
    this.overflowError = overflowError;
    this.replayLatest = replayLatest;
    this.subscribersChanged = subscribersChanged;
    if (holdForFirst) {
      held = newSubscription();
      subscriptions.add(held);
    }
  }

  /**
   * Items held for the first subscriber from the start; a full buffer ends a subscription with
   * {@code overflowError} (made from the last item it got), after every item before it.
   */
  static <T> Broadcast<T> heldForFirst(Executor executor, int capacity, Function<T, ? extends Throwable> overflowError) {
    return new Broadcast<>(executor, capacity, BufferedSubscription.Overflow.FAIL, overflowError, true, false, n -> { });
  }

  /** Each subscriber starts from the latest item; a full buffer drops its oldest item. */
  static <T> Broadcast<T> latestFirst(Executor executor, int capacity, IntConsumer subscribersChanged) {
    return new Broadcast<>(executor, capacity, BufferedSubscription.Overflow.DROP_OLDEST, last -> null, false, true,
      subscribersChanged);
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    BufferedSubscription<T> subscription;
    int count;
    synchronized (lock) {
      if (held != null) {
        subscription = held;
        held = null;
      } else {
        subscription = newSubscription();
        if (replayLatest && latest != null) {
          subscription.offer(latest);
        }
        if (error != null) {
          subscription.fail(error);
        } else if (completed) {
          subscription.complete();
        } else {
          subscriptions.add(subscription);
        }
      }
      count = subscriptions.size();
    }
    subscription.attach(subscriber);
    subscribersChanged.accept(count);
  }

  void publish(T item) {
    List<BufferedSubscription<T>> targets;
    synchronized (lock) {
      if (completed || error != null) {
        return;
      }
      latest = item;
      targets = List.copyOf(subscriptions);
    }
    targets.forEach(s -> s.offer(item));
  }

  void complete() {
    List<BufferedSubscription<T>> targets;
    synchronized (lock) {
      if (completed || error != null) {
        return;
      }
      completed = true;
      targets = List.copyOf(subscriptions);
    }
    targets.forEach(BufferedSubscription::complete);
  }

  void fail(Throwable failure) {
    List<BufferedSubscription<T>> targets;
    synchronized (lock) {
      if (completed || error != null) {
        return;
      }
      error = failure;
      targets = List.copyOf(subscriptions);
    }
    targets.forEach(s -> s.fail(failure));
  }

  /** Subscribers now, not counting a subscription still held for the first one. */
  int subscribers() {
    synchronized (lock) {
      return subscriptions.size() - (held != null ? 1 : 0);
    }
  }

  private BufferedSubscription<T> newSubscription() {
    return new BufferedSubscription<>(executor, capacity, overflow, overflowError, this::removed);
  }

  private void removed(BufferedSubscription<T> subscription) {
    int count;
    synchronized (lock) {
      if (!subscriptions.remove(subscription)) {
        return;
      }
      count = subscriptions.size();
    }
    subscribersChanged.accept(count);
  }
}
