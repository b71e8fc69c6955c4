package io.warmpool.client;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One subscriber's share of a {@link Broadcast}: the items it has not requested yet, at most
 * {@code capacity}, handed to it on the delivery executor as it requests them, one signal at a
 * time and never on the thread that published them (a subscriber that blocks holds up only
 * itself). It may exist before its subscriber, to hold what comes meanwhile ({@link #attach}).
 */
final class BufferedSubscription<T> implements Flow.Subscription {

  /** What a full buffer does with one more item. */
  enum Overflow {
    /** The oldest item goes: for snapshots, where the latest says all. */
    DROP_OLDEST,
    /** Nothing more is taken: the subscriber gets what is buffered, then the overflow error. */
    FAIL
  }

  private final Executor executor;
  private final int capacity;
  private final Overflow overflow;
  /** The error of a {@link Overflow#FAIL} overflow, made from the last item the subscriber will get. */
  private final Function<T, ? extends Throwable> overflowError;
  private final Consumer<BufferedSubscription<T>> onCancel;
  private final AtomicInteger work = new AtomicInteger();
  private final Object lock = new Object();

  // guarded by lock
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private Flow.Subscriber<? super T> subscriber;
  private long demand;
  private boolean cancelled;
  private boolean completed;
  private Throwable error;
  private T lastTaken;

  // touched by the drain only, which runs one at a time
  private boolean subscribed;
  private boolean terminated;

  BufferedSubscription(Executor executor, int capacity, Overflow overflow, Function<T, ? extends Throwable> overflowError,
                       Consumer<BufferedSubscription<T>> onCancel) {
    this.executor = executor;
    this.capacity = capacity;
    this.overflow = overflow;
    this.overflowError = overflowError;
    this.onCancel = onCancel;
  }

  /** Gives the subscription its subscriber: {@code onSubscribe}, then what was held for it. */
  void attach(Flow.Subscriber<? super T> subscriber) {
    synchronized (lock) {
      this.subscriber = subscriber;
    }
    schedule();
  }

  /** Takes an item, unless the subscription has ended. */
  void offer(T item) {
    synchronized (lock) {
      if (cancelled || completed || error != null) {
        return;
      }
      if (queue.size() >= capacity) {
        if (overflow == Overflow.FAIL) {
          error = overflowError.apply(lastTaken);
          schedule();
          return;
        }
        queue.poll();
      }
      queue.add(item);
      lastTaken = item;
    }
    schedule();
  }

  /** {@code onComplete} once what is buffered has been requested. */
  void complete() {
    synchronized (lock) {
      if (cancelled || completed || error != null) {
        return;
      }
      completed = true;
    }
    schedule();
  }

  /** {@code onError} once what is buffered has been requested. */
  void fail(Throwable failure) {
    synchronized (lock) {
      if (cancelled || completed || error != null) {
        return;
      }
      error = failure;
    }
    schedule();
  }

  @Override
  public void request(long n) {
    synchronized (lock) {
      if (cancelled) {
        return;
      }
      if (n <= 0) {
        // Reactive Streams rule 3.9: a non-positive request ends the subscription with an error
        queue.clear();
        completed = false;
        error = new IllegalArgumentException("request(" + n + "): a subscriber must request a positive number");
      } else {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      }
    }
    schedule();
  }

  @Override
  public void cancel() {
    synchronized (lock) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      queue.clear();
    }
    onCancel.accept(this);
  }

  boolean isCancelled() {
    synchronized (lock) {
      return cancelled;
    }
  }

  private void schedule() {
    if (work.getAndIncrement() != 0) {
      return;
    }
    Delivery.run(executor, this::drain);
  }

  /** Hands out what is requested; runs once at a time ({@link #work}), again if asked meanwhile. */
  private void drain() {
    int missed = 1;
    do {
      Flow.Subscriber<? super T> target;
      synchronized (lock) {
        target = subscriber;
      }
      if (target != null) {
        if (!subscribed) {
          subscribed = true;
          target.onSubscribe(this);
        }
        deliver(target);
      }
      missed = work.addAndGet(-missed);
    } while (missed != 0);
  }

  private void deliver(Flow.Subscriber<? super T> target) {
    while (!terminated) {
      T item = null;
      Throwable failure = null;
      boolean complete = false;
      synchronized (lock) {
        if (cancelled) {
          return;
        }
        if (!queue.isEmpty() && demand > 0) {
          item = queue.poll();
          if (demand != Long.MAX_VALUE) {
            demand--;
          }
        } else if (queue.isEmpty() && error != null) {
          failure = error;
        } else if (queue.isEmpty() && completed) {
          complete = true;
        } else {
          return;
        }
      }
      if (item != null) {
        try {
          target.onNext(item);
        } catch (RuntimeException thrown) {
          // a subscriber must not throw (rule 2.13): its subscription ends here
          cancel();
          return;
        }
      } else {
        terminated = true;
        if (failure != null) {
          target.onError(failure);
        } else if (complete) {
          target.onComplete();
        }
      }
    }
  }
}
