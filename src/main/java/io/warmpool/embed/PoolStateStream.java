package io.warmpool.embed;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Addresses;

/**
 * The pool's state as a stream ({@link PoolClient#poolState()}): the current state, then every
 * change the pool publishes on {@code <prefix>.pool.state} (coalesced over 20 ms). It holds one
 * state at most: a newer one replaces a state the reader has not taken, since each is a whole
 * picture. It runs until {@link #close()} (or {@code handler(null)}); everything runs on the
 * context that made it.
 */
public final class PoolStateStream extends ContextStream<JsonObject> {

  private final Vertx vertx;
  private final Addresses addresses;
  private final Promise<Void> closed = Promise.promise();
  private MessageConsumer<JsonObject> consumer;
  private JsonObject pending;
  /** A state was published since the stream opened: the one asked for at the start is older. */
  private boolean published;

  PoolStateStream(Vertx vertx, Addresses addresses, Context context) {
    super(context);
    this.vertx = vertx;
    this.addresses = addresses;
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
    if (!ended()) {
      pending = state;
      deliver();
    }
  }

  @Override
  protected void deliver() {
    while (wants() && pending != null) {
      JsonObject state = pending;
      pending = null;
      handOver(state);
    }
  }

  @Override
  protected void end(Throwable cause) {
    if (ended()) {
      return;
    }
    pending = null;
    (consumer == null ? Future.<Void>succeededFuture() : consumer.unregister()).onComplete(closed);
    super.end(cause);
  }

  /** {@code null} closes the stream, as it unregisters a message consumer. */
  @Override
  public PoolStateStream handler(Handler<JsonObject> handler) {
    if (handler == null) {
      close();
    } else {
      super.handler(handler);
    }
    return this;
  }
}
