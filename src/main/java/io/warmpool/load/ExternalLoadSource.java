package io.warmpool.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.BusFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load set by someone else: a number 0..1, or {@code {"load":n}}, sent or published to
 * {@code <prefix>.load.external}. The latest value wins.
 * <p>
 * Until the first value arrives the source {@linkplain #hasLoad() has no load}, so the load timer
 * publishes nothing: nobody has said what the load is, and a pool whose samples are published on
 * {@code <prefix>.load} by someone else (an application embedding the pool, a test) is not
 * overridden by zeros nobody measured.
 * <p>
 * A request gets {@code {"load":n}} back; a bad body is failed with {@link BusFailure#BAD_REQUEST}
 * when it was a request, and logged (at most once a minute). Finite values outside 0..1 are
 * taken as they are and clamped, and logged, by the load timer like any other source's.
 * <p>
 * The consumer is local: a load belongs to one node, so another node's value must not arrive here.
 */
public final class ExternalLoadSource implements LoadSource {

  private static final Logger log = LoggerFactory.getLogger(ExternalLoadSource.class);

  private final String address;
  private final MessageConsumer<Object> consumer;
  private final LogThrottle badMessages = new LogThrottle(60_000, System::currentTimeMillis);
  private volatile double latest;
  private volatile boolean told;

  /**
   * Registers the consumer on the calling context.
   *
   * @param address where values come: the pool's {@code <prefix>.load.external}
   */
  public ExternalLoadSource(Vertx vertx, String address) {
    this.address = address;
    this.consumer = vertx.eventBus().localConsumer(address, this::handle);
  }

  /** Completes once the consumer is registered (at once for a local consumer). */
  public Future<Void> registered() {
    return consumer.completion();
  }

  @Override
  public String name() {
    return "external";
  }

  /** The latest value received, 0 before the first. */
  @Override
  public double sample() {
    return latest;
  }

  @Override
  public boolean hasLoad() {
    return told;
  }

  /** An outside party's load says nothing about what one job adds. */
  @Override
  public double loadPerJobHint() {
    return 0;
  }

  @Override
  public void close() {
    consumer.unregister().onFailure(e -> log.warn("Could not unregister from {}", address, e));
  }

  private void handle(Message<Object> message) {
    Object body = message.body();
    Object value = body instanceof JsonObject ? ((JsonObject) body).getValue("load") : body;
    String problem = null;
    if (!(value instanceof Number)) {
      problem = "expected a number 0..1 or {\"load\":n}, got " + describe(body);
    } else if (!Double.isFinite(((Number) value).doubleValue())) {
      problem = "load must be a finite number, got " + value;
    }
    if (problem != null) {
      if (badMessages.allow()) {
        long heldBack = badMessages.takeSuppressed();
        log.warn("Ignored a message on {}: {}{}", address, problem,
          heldBack > 0 ? " (" + heldBack + " more bad messages since the last warning)" : "");
      }
      if (message.replyAddress() != null) {
        message.fail(BusFailure.BAD_REQUEST, problem);
      }
      return;
    }
    double load = ((Number) value).doubleValue();
    latest = load;
    told = true;
    if (message.replyAddress() != null) {
      message.reply(new JsonObject().put("load", load));
    }
  }

  /**
   * What was sent, by its kind and size only: the body comes from anyone on the bus and goes into
   * a reply and a log line, so none of its text is repeated.
   */
  static String describe(Object body) {
    if (body == null) {
      return "no body";
    }
    if (body instanceof JsonObject json) {
      return json.containsKey("load") ? "a JSON object whose 'load' is " + kind(json.getValue("load")) : "a JSON object without 'load'";
    }
    return kind(body);
  }

  private static String kind(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof CharSequence text) {
      return "a string of " + text.length() + " characters";
    }
    return "a " + value.getClass().getSimpleName();
  }
}
