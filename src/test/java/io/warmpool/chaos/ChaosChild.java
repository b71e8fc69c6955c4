package io.warmpool.chaos;

import io.vertx.core.json.JsonArray;

import java.nio.file.Path;
import java.util.List;

/** The Python child that breaks the protocol on request (src/test/resources/children/chaos_child.py). */
public final class ChaosChild {

  public static final Path SCRIPT = Path.of("src/test/resources/children/chaos_child.py").toAbsolutePath();

  /** Garbage the channel refuses, then protocol breaches only the pool can see; each must end in protocol-error. */
  public static final List<String> GARBAGE_KINDS = List.of("not-json", "array", "null", "blank", "no-type",
    "type-number", "binary", "half-frame", "oversize", "wrong-job", "started-twice", "ready-again");

  /**
   * Not garbage: a message of a type the worker does not know, as a newer child may send. The
   * worker ignores it and the job completes.
   */
  public static final String UNKNOWN_TYPE_KIND = "unknown-type";

  /** {@code child.command} for a pool of these children. */
  public static JsonArray command() {
    return new JsonArray(List.of("python3", SCRIPT.toString()));
  }

  private ChaosChild() {
  }
}
