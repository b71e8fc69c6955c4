package io.warmpool.embed;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.warmpool.bus.Addresses;

/**
 * The pool's state as a stream ({@link PoolClient#poolState()}): the current state, then every
 * change the pool publishes on {@code <prefix>.pool.state} (coalesced over 20 ms). It holds one
 * state at most: a newer one replaces a state the reader has not taken, since each is a whole
 * picture. It runs until {@link #close()} (or {@code handler(null)}); everything runs on the
 * context that made it.
 */
public final class PoolStateStream implements ReadStream<JsonObject> {

  private final Vertx vertx;
  private final Addresses addresses;
  private final Context context;
  private final Promise<Void> closed = Promise.promise();
  private MessageConsumer<JsonObject> consumer;
  private JsonObject pending;
  private Handler<JsonObject> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  /** A state was published since the stream opened: the one asked for at the start is older. */
  private boolean published;
  private boolean ended;

  PoolStateStream(Vertx vertx, Addresses addresses, Context context) {
    this.vertx = vertx;
    this.addresses = addresses;
    this.context = context;
  }

  /** On the context: listens for changes, then asks for the state now. */
  void open() {
    // the pool state is this node's: a local consumer
    consumer = vertx.eventBus().localConsumer(addresses.poolState(), message -> {
      published = true;
      offer(message.body());
    });
    vertx.eventBus().<JsonObject>request(addresses.workerInfo(), null).onComplete(ar -> {
      if (ar.failed()) {
        end(BusErrors.of(ar.cause(), addresses.workerInfo(), null));
      } else if (!published) {
        offer(ar.result().body().copy().put("type", "state"));
      }
    });
  }

  /** Stops listening; the end handler is called. */
  public Future<Void> close() {
    OnContext.run(context, () -> end(null));
    return closed.future();
  }

  private void offer(JsonObject state) {
    if (!ended) {
      pending = state;
      deliver();
    }
  }

  private void deliver() {
    while (!ended && handler != null && demand > 0 && pending != null) {
      JsonObject state = pending;
      pending = null;
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(state);
    }
  }

  private void end(Throwable cause) {
    if (ended) {
      return;
    }
    ended = true;
    pending = null;
    if (cause != null && exceptionHandler != null) {
      exceptionHandler.handle(cause);
    }
    (consumer == null ? Future.<Void>succeededFuture() : consumer.unregister()).onComplete(closed);
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  @Override
  public PoolStateStream exceptionHandler(Handler<Throwable> handler) {
    OnContext.run(context, () -> exceptionHandler = handler);
    return this;
  }

  /** States are handed over from the context's next turn; {@code null} closes the stream. */
  @Override
  public PoolStateStream handler(Handler<JsonObject> handler) {
    OnContext.run(context, () -> {
      if (handler == null) {
        end(null);
        return;
      }
      this.handler = handler;
      context.runOnContext(v -> deliver());
    });
    return this;
  }

  @Override
  public PoolStateStream pause() {
    OnContext.run(context, () -> demand = 0);
    return this;
  }

  @Override
  public PoolStateStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public PoolStateStream fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("fetch needs an amount >= 0, was " + amount);
    }
    OnContext.run(context, () -> {
      demand = Long.MAX_VALUE - demand <= amount ? Long.MAX_VALUE : demand + amount;
      deliver();
    });
    return this;
  }

  @Override
  public PoolStateStream endHandler(Handler<Void> handler) {
    OnContext.run(context, () -> {
      endHandler = handler;
      if (ended && handler != null) {
        context.runOnContext(v -> handler.handle(null));
      }
    });
    return this;
  }
}
