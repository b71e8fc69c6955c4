package io.warmpool.testbed;

import io.vertx.core.json.JsonObject;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;

/** The machine a run was measured on: figures mean little without it. */
public record Machine(int cores, String cpu, long memoryMb, String os, String java) {

  public static Machine current() {
    String cpu;
    long memoryMb;
    try {
      SystemInfo info = new SystemInfo();
      cpu = info.getHardware().getProcessor().getProcessorIdentifier().getName().trim();
      memoryMb = info.getHardware().getMemory().getTotal() / (1024 * 1024);
    } catch (RuntimeException | LinkageError e) {
      cpu = "unknown";
      memoryMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    }
    return new Machine(Runtime.getRuntime().availableProcessors(), cpu, memoryMb,
      System.getProperty("os.name") + " " + System.getProperty("os.version"),
      System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
  }

  /**
   * The share of all CPUs busy over the next {@code ms} (0..1), whoever uses them. Blocks for
   * {@code ms}: for the bench's main thread only.
   */
  public static double busyShare(long ms) throws InterruptedException {
    CentralProcessor cpu = new SystemInfo().getHardware().getProcessor();
    long[] before = cpu.getSystemCpuLoadTicks();
    Thread.sleep(ms);
    return cpu.getSystemCpuLoadBetweenTicks(before);
  }

  public JsonObject toJson() {
    return new JsonObject().put("cores", cores).put("cpu", cpu).put("memoryMb", memoryMb).put("os", os).put("java", java);
  }

  /** "2 cores (Intel …), 24 GB". */
  public String describe() {
    return cores + " cores (" + cpu + "), " + Math.round(memoryMb / 1024.0) + " GB, " + java;
  }
}
