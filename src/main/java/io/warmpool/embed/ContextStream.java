package io.warmpool.embed;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;

/**
 * What the client's streams share: the reader's handlers and demand, kept on one context (the one
 * that made the stream), whatever thread the reader calls from. A stream says what it holds and
 * hands it over in {@link #deliver()} while {@link #wants()} holds.
 */
abstract class ContextStream<T> implements ReadStream<T> {

  protected final Context context;
  private Handler<T> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private boolean ended;

  ContextStream(Context context) {
    this.context = context;
  }

  /** Hands over what is held, as far as the reader wants it; on the context. */
  protected abstract void deliver();

  /** Whether the reader takes one more now. */
  protected final boolean wants() {
    return !ended && handler != null && demand > 0;
  }

  /** Hands one item to the reader; only while {@link #wants()}. */
  protected final void handOver(T item) {
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
    handler.handle(item);
  }

  protected final boolean ended() {
    return ended;
  }

  /** Ends the stream, after telling the reader {@code cause} if there is one. Once. */
  protected void end(Throwable cause) {
    if (ended) {
      return;
    }
    ended = true;
    if (cause != null && exceptionHandler != null) {
      exceptionHandler.handle(cause);
    }
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  @Override
  public ReadStream<T> exceptionHandler(Handler<Throwable> handler) {
    OnContext.run(context, () -> exceptionHandler = handler);
    return this;
  }

  /** Items are handed over from the context's next turn, so that an end handler set just after this one is in place. */
  @Override
  public ReadStream<T> handler(Handler<T> handler) {
    OnContext.run(context, () -> {
      this.handler = handler;
      context.runOnContext(v -> deliver());
    });
    return this;
  }

  @Override
  public ReadStream<T> pause() {
    OnContext.run(context, () -> demand = 0);
    return this;
  }

  @Override
  public ReadStream<T> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<T> fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("fetch needs an amount >= 0, was " + amount);
    }
    OnContext.run(context, () -> {
      demand = Long.MAX_VALUE - demand <= amount ? Long.MAX_VALUE : demand + amount;
      deliver();
    });
    return this;
  }

  /** Called at the end; at once if the stream has ended already. */
  @Override
  public ReadStream<T> endHandler(Handler<Void> handler) {
    OnContext.run(context, () -> {
      endHandler = handler;
      if (ended && handler != null) {
        context.runOnContext(v -> handler.handle(null));
      }
    });
    return this;
  }
}
