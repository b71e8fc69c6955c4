package io.warmpool.demo;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;

/**
 * Native memory outside the Java heap, so the {@code alloc} op can raise a child's resident
 * memory past {@code -Xmx} (and past {@code -XX:MaxDirectMemorySize}, which direct buffers
 * obey). Reached through {@code sun.misc.Unsafe} by reflection: {@code jdk.unsupported} opens
 * it, and reflection keeps the compiler's internal-API warning out of the build.
 */
final class OffHeapMemory {

  private static final long CHUNK = 1024 * 1024;

  private static final MethodHandle ALLOCATE;
  private static final MethodHandle SET;
  private static final MethodHandle FREE;

  static {
    try {
      Class<?> unsafeType = Class.forName("sun.misc.Unsafe");
      Field field = unsafeType.getDeclaredField("theUnsafe");
      field.setAccessible(true);
      Object unsafe = field.get(null);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      ALLOCATE = lookup.findVirtual(unsafeType, "allocateMemory", MethodType.methodType(long.class, long.class))
        .bindTo(unsafe);
      SET = lookup.findVirtual(unsafeType, "setMemory",
        MethodType.methodType(void.class, long.class, long.class, byte.class)).bindTo(unsafe);
      FREE = lookup.findVirtual(unsafeType, "freeMemory", MethodType.methodType(void.class, long.class))
        .bindTo(unsafe);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long address;
  private final long bytes;

  private OffHeapMemory(long address, long bytes) {
    this.address = address;
    this.bytes = bytes;
  }

  /**
   * Allocates {@code bytes} and writes every byte, so that every page is resident (untouched
   * pages of a fresh allocation would not count in RSS).
   *
   * @throws InterruptedException when interrupted while touching; nothing stays allocated then
   */
  static OffHeapMemory allocateResident(long bytes) throws InterruptedException {
    long address = allocate(bytes);
    OffHeapMemory memory = new OffHeapMemory(address, bytes);
    try {
      for (long offset = 0; offset < bytes; offset += CHUNK) {
        if (Thread.interrupted()) {
          throw new InterruptedException("alloc interrupted");
        }
        memory.fill(offset, Math.min(CHUNK, bytes - offset));
      }
      return memory;
    } catch (InterruptedException | RuntimeException | Error e) {
      memory.free();
      throw e;
    }
  }

  void free() {
    try {
      FREE.invokeExact(address);
    } catch (Throwable t) {
      throw new IllegalStateException("freeMemory failed", t);
    }
  }

  private static long allocate(long bytes) {
    try {
      return (long) ALLOCATE.invokeExact(bytes);
    } catch (RuntimeException | Error e) {
      throw e; // OutOfMemoryError when the system will not give that much
    } catch (Throwable t) {
      throw new IllegalStateException("allocateMemory failed", t);
    }
  }

  private void fill(long offset, long length) {
    try {
      SET.invokeExact(address + offset, length, (byte) 1);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("setMemory failed", t);
    }
  }
}
