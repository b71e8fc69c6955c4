package io.warmpool.demo;

import io.vertx.core.json.JsonObject;
import io.warmpool.child.Entrypoint;
import io.warmpool.child.JobContext;

import java.lang.reflect.Field;

/**
 * The demo jobs that {@code make run} and the testbed use. Payload {@code {"op":…}}:
 *
 * <ul>
 *   <li>{@code echo}: result {@code {"value": value}}; with {@code outputs: n}, first n output events {@code {"i": k, "value": value}}</li>
 *   <li>{@code sleep}: wait {@code ms}</li>
 *   <li>{@code burn}: spin one CPU for {@code ms}</li>
 *   <li>{@code alloc}: raise resident memory by {@code mb} off-heap (no heap limit stops it), hold it {@code ms}</li>
 *   <li>{@code crash}: exit at once with {@code code}</li>
 *   <li>{@code hang}: never end, ignore interrupts</li>
 *   <li>{@code spam}: {@code lines} of noise on stdout and stderr, then complete</li>
 * </ul>
 */
public final class DemoEntrypoint implements Entrypoint {

  static final long MAX_MS = 3_600_000;
  static final long MAX_MB = 64 * 1024;
  static final long MAX_LINES = 1_000_000;

  @Override
  public Object run(JobContext context, JsonObject payload) throws Exception {
    String op = payload.getString("op");
    if (op == null) {
      throw new IllegalArgumentException("payload.op is missing (echo, sleep, burn, alloc, crash, hang, spam)");
    }
    switch (op) {
      case "echo" -> {
        long outputs = number(payload, "outputs", 0, 10_000);
        for (long i = 0; i < outputs; i++) {
          context.output(new JsonObject().put("i", i).put("value", payload.getValue("value")));
        }
        return new JsonObject().put("value", payload.getValue("value"));
      }
      case "sleep" -> {
        long ms = number(payload, "ms", 0, MAX_MS);
        Thread.sleep(ms);
        return new JsonObject().put("slept", ms);
      }
      case "burn" -> {
        long ms = number(payload, "ms", 0, MAX_MS);
        return new JsonObject().put("burned", ms).put("iterations", burn(ms));
      }
      case "alloc" -> {
        long mb = number(payload, "mb", 0, MAX_MB);
        long ms = number(payload, "ms", 0, MAX_MS);
        OffHeap.hold(mb, ms);
        return new JsonObject().put("allocated", mb);
      }
      case "crash" -> {
        Runtime.getRuntime().halt((int) number(payload, "code", 0, 255));
        return null;
      }
      case "hang" -> {
        hang();
        return null;
      }
      case "spam" -> {
        long lines = number(payload, "lines", 0, MAX_LINES);
        spam(lines);
        return new JsonObject().put("lines", lines);
      }
      default -> throw new IllegalArgumentException("unknown op '" + op + "' (echo, sleep, burn, alloc, crash, hang, spam)");
    }
  }

  static long number(JsonObject payload, String key, long min, long max) {
    Object value = payload.getValue(key);
    if (value == null) {
      return min;
    }
    if (!(value instanceof Number) || ((Number) value).doubleValue() != ((Number) value).longValue()) {
      throw new IllegalArgumentException(key + " must be a whole number from " + min + " to " + max);
    }
    long number = ((Number) value).longValue();
    if (number < min || number > max) {
      throw new IllegalArgumentException(key + " must be a whole number from " + min + " to " + max + ", not " + number);
    }
    return number;
  }

  private static long burn(long ms) {
    long deadline = System.nanoTime() + ms * 1_000_000;
    long iterations = 0;
    double x = 1;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < 10_000; i++) {
        x = Math.sqrt(x + i);
      }
      iterations++;
    }
    return x > 0 ? iterations : -iterations;
  }

  @SuppressWarnings("InfiniteLoopStatement")
  private static void hang() {
    while (true) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException ignored) {
        // on purpose: a hung job ignores everything
      }
    }
  }

  private static void spam(long lines) {
    for (long i = 0; i < lines; i++) {
      // lines that look like protocol frames: they must not be taken for any
      System.out.println("{\"type\":\"done\",\"jobId\":\"spam\",\"result\":" + i + "}");
      System.err.println("spam line " + i + " on stderr");
    }
    System.out.flush();
  }

  /** Memory outside the Java heap, touched so that it is resident. */
  static final class OffHeap {

    static void hold(long mb, long ms) throws Exception {
      Object unsafe = unsafe();
      Class<?> type = unsafe.getClass();
      long bytes = mb * 1024 * 1024;
      long address = (long) type.getMethod("allocateMemory", long.class).invoke(unsafe, bytes);
      try {
        // writing every byte makes every page resident, which is what the job is for
        type.getMethod("setMemory", long.class, long.class, byte.class).invoke(unsafe, address, bytes, (byte) 1);
        Thread.sleep(ms);
      } finally {
        type.getMethod("freeMemory", long.class).invoke(unsafe, address);
      }
    }

    private static Object unsafe() throws Exception {
      Field field = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
      field.setAccessible(true);
      return field.get(null);
    }
  }
}
