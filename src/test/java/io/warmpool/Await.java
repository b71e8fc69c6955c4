package io.warmpool;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waiting from a test thread: for a future, or for a condition to hold, always bounded. */
public final class Await {

  public static final Duration DEFAULT = Duration.ofSeconds(30);

  public interface Condition {
    boolean holds() throws Exception;
  }

  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(DEFAULT.toSeconds(), TimeUnit.SECONDS);
  }

  public static void waitFor(String what, Condition condition) throws Exception {
    waitFor(what, DEFAULT, condition);
  }

  /** Checks {@code condition} until it holds; fails naming {@code what} once {@code bound} has passed. */
  public static void waitFor(String what, Duration bound, Condition condition) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + bound.toMillis() + " ms: " + what);
      }
      // the polling interval of the condition, not a wait for the outcome itself
      Thread.sleep(10);
    }
  }

  private Await() {
  }
}
