package io.warmpool.demo;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.warmpool.child.Entrypoint;
import io.warmpool.child.JobContext;

import java.io.PrintStream;
import java.math.BigInteger;

/**
 * The demo jobs that {@code make run} and the testbed use (the default {@code child.entrypoint}),
 * written with the same child API as a user's job. The payload's {@code op} picks one; every
 * parameter is checked before anything runs, and a missing or wrong one fails the job with an
 * {@link IllegalArgumentException} that names it.
 *
 * <table>
 *   <caption>ops</caption>
 *   <tr><th>op</th><th>parameters</th><th>does</th><th>result</th></tr>
 *   <tr><td>echo</td><td>{@code value}: any JSON, optional; {@code outputs}: n output events first, optional</td><td>nothing</td>
 *     <td>{@code {"value": value}}</td></tr>
 *   <tr><td>sleep</td><td>{@code ms}</td><td>sleeps (interruptible)</td><td>{@code {"sleptMs": ms}}</td></tr>
 *   <tr><td>burn</td><td>{@code ms}</td><td>keeps one CPU busy (interruptible)</td>
 *     <td>{@code {"burnedMs": ms}}</td></tr>
 *   <tr><td>alloc</td><td>{@code mb}, {@code ms} (optional, default 0)</td>
 *     <td>makes {@code mb} MiB of off-heap memory resident, holds it {@code ms}, frees it</td>
 *     <td>{@code {"allocatedMb": mb, "heldMs": ms}}</td></tr>
 *   <tr><td>crash</td><td>{@code code} (optional, default 1)</td><td>halts the process with that
 *     exit status at once</td><td>none</td></tr>
 *   <tr><td>hang</td><td></td><td>never ends, ignores interrupts</td><td>none</td></tr>
 *   <tr><td>spam</td><td>{@code lines}</td><td>prints that many lines (some look like protocol
 *     frames) on stdout and on stderr</td><td>{@code {"lines": lines}}</td></tr>
 * </table>
 *
 * <p>Bounds: {@code ms} ≤ 3600000 (1 h), {@code mb} ≤ 65536 (64 GiB), {@code code} ≤ 255,
 * {@code lines} ≤ 1000000; all are non-negative integers.
 */
public final class DemoEntrypoint implements Entrypoint {

  static final long MAX_OUTPUTS = 100_000;
  static final long MAX_MS = 3_600_000;
  static final long MAX_MB = 64 * 1024;
  static final long MAX_EXIT_CODE = 255;
  static final long MAX_LINES = 1_000_000;

  private static final String OPS = "echo, sleep, burn, alloc, crash, hang, spam";

  // Read by nothing; written so the JIT cannot drop the burn loop as dead code.
  @SuppressWarnings("unused")
  private static volatile long burnSink;

  @Override
  public void prewarm() throws Exception {
    // Loads what the cheapest job touches; the other ops spend far longer than class loading.
    JsonObject echo = new JsonObject();
    echo.addProperty("op", "echo");
    echo.addProperty("value", 1);
    run(null, echo);
  }

  @Override
  public Object run(JobContext context, JsonObject payload) throws Exception {
    JsonElement op = payload.get("op");
    if (op == null || !op.isJsonPrimitive() || !op.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException("payload needs 'op' (a string): one of " + OPS);
    }
    switch (op.getAsString()) {
      case "echo":
        return echo(context, payload);
      case "sleep":
        return sleep(param(payload, "sleep", "ms", MAX_MS, null));
      case "burn":
        return burn(param(payload, "burn", "ms", MAX_MS, null));
      case "alloc":
        return alloc(param(payload, "alloc", "mb", MAX_MB, null), param(payload, "alloc", "ms", MAX_MS, 0L));
      case "crash":
        return crash(param(payload, "crash", "code", MAX_EXIT_CODE, 1L));
      case "hang":
        return hang();
      case "spam":
        return spam(param(payload, "spam", "lines", MAX_LINES, null));
      default:
        throw new IllegalArgumentException("unknown op '" + op.getAsString() + "': one of " + OPS);
    }
  }

  /**
   * A non-negative integer parameter no larger than {@code max}, written as one (no fraction, no
   * exponent); {@code fallback} when absent or null.
   */
  static long param(JsonObject payload, String op, String name, long max, Long fallback) {
    JsonElement value = payload.get(name);
    String wanted = "an integer from 0 to " + max;
    if (value == null || value.isJsonNull()) {
      if (fallback != null) {
        return fallback;
      }
      throw new IllegalArgumentException(op + " needs '" + name + "' (" + wanted + ")");
    }
    BigInteger number = integer(value);
    if (number == null) {
      throw new IllegalArgumentException(op + ": '" + name + "' must be " + wanted + ", got " + value);
    }
    if (number.signum() < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new IllegalArgumentException(op + ": '" + name + "' must be " + wanted + ", got " + number);
    }
    return number.longValue();
  }

  /** The integer a JSON number's text writes, {@code null} for anything else. */
  private static BigInteger integer(JsonElement value) {
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      return null;
    }
    try {
      return new BigInteger(value.getAsString());
    } catch (NumberFormatException fractionOrExponent) {
      return null;
    }
  }

  /** The value back; with {@code outputs: n}, first n output events {@code {"i": k, "value": value}}. */
  private static JsonObject echo(JobContext context, JsonObject payload) {
    JsonElement value = payload.has("value") ? payload.get("value") : JsonNull.INSTANCE;
    long outputs = param(payload, "echo", "outputs", MAX_OUTPUTS, 0L);
    for (long i = 0; i < outputs; i++) {
      JsonObject output = object("i", i);
      output.add("value", value);
      context.output(output);
    }
    JsonObject result = new JsonObject();
    result.add("value", value);
    return result;
  }

  /** {@code {"name": value}}. */
  private static JsonObject object(String name, long value) {
    JsonObject object = new JsonObject();
    object.addProperty(name, value);
    return object;
  }

  private static JsonObject sleep(long ms) throws InterruptedException {
    Thread.sleep(ms);
    return object("sleptMs", ms);
  }

  private static JsonObject burn(long ms) throws InterruptedException {
    long deadline = System.nanoTime() + ms * 1_000_000;
    long x = 1;
    while (System.nanoTime() - deadline < 0) {
      for (int i = 0; i < 10_000; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException("burn interrupted");
      }
    }
    burnSink = x;
    return object("burnedMs", ms);
  }

  private static JsonObject alloc(long mb, long holdMs) throws InterruptedException {
    if (mb == 0) {
      Thread.sleep(holdMs);
      return allocated(0, holdMs);
    }
    OffHeapMemory memory = OffHeapMemory.allocateResident(mb * 1024 * 1024);
    try {
      Thread.sleep(holdMs);
    } finally {
      memory.free();
    }
    return allocated(mb, holdMs);
  }

  private static JsonObject allocated(long mb, long heldMs) {
    JsonObject result = object("allocatedMb", mb);
    result.addProperty("heldMs", heldMs);
    return result;
  }

  private static Object crash(long code) {
    Runtime.getRuntime().halt((int) code);
    throw new AssertionError("halt returned");
  }

  private static Object hang() {
    while (true) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException ignored) {
        // Deliberately deaf: this op shows what the worker does with a job that will not stop.
      }
    }
  }

  private static JsonObject spam(long lines) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    for (long i = 0; i < lines; i++) {
      // Lines that look like protocol frames prove that prints cannot reach the channel.
      out.println("{\"type\":\"done\",\"jobId\":\"spam\",\"result\":" + i + "}");
      err.println("spam " + i + " on stderr: \u00e9\u00e8 {\"type\":\"failed\"} \t end");
    }
    out.flush();
    err.flush();
    return object("lines", lines);
  }
}
