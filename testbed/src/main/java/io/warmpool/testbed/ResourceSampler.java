package io.warmpool.testbed;

import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resident memory and CPU time of the worker process and of all its descendants (the pooled
 * processes), read from the OS with OSHI.
 *
 * <p>{@link #sample()} blocks on {@code /proc} reads: the load test calls it from its main
 * thread, never from an event loop. The latest values are volatile because the run's
 * timeline copies them from its own thread.
 */
public final class ResourceSampler {

  private static final double MB = 1024.0 * 1024.0;

  private final OperatingSystem os;
  private final long pid;
  private volatile double workerRssMb = Double.NaN;
  private volatile long workerCpuMs;
  private volatile long childrenCpuMs;
  private volatile List<ProcessHandle> lastDescendants = List.of();
  /** Each descendant's resident memory at the last sample; null before the first. */
  private volatile Map<Long, Double> rssMbByPid;
  /** Only {@link #sample()} touches it, from one thread. */
  private Map<Integer, Long> lastCpuByPid = new HashMap<>();

  private ResourceSampler(OperatingSystem os, long pid) {
    this.os = os;
    this.pid = pid;
  }

  /** Samples the process {@code pid} and its descendants. */
  static ResourceSampler of(long pid) {
    return new ResourceSampler(new SystemInfo().getOperatingSystem(), pid);
  }

  /** For a worker the load test did not start: nothing is known about its processes. */
  static ResourceSampler none() {
    return new ResourceSampler(null, -1);
  }

  /** Reads the processes now; false once the worker is gone (or was never known). */
  public boolean sample() {
    if (os == null) {
      return false;
    }
    OSProcess worker = os.getProcess((int) pid);
    if (worker == null) {
      return false;
    }
    List<OSProcess> descendants = os.getDescendantProcesses((int) pid, null, null, 0);
    long cpu = childrenCpuMs;
    Map<Integer, Long> cpuNow = new HashMap<>();
    Map<Long, Double> rssByPid = new HashMap<>();
    for (OSProcess child : descendants) {
      rssByPid.put((long) child.getProcessID(), child.getResidentSetSize() / MB);
      long used = child.getKernelTime() + child.getUserTime();
      cpuNow.put(child.getProcessID(), used);
      // processes come and go: only what each one used since it was last seen is added
      cpu += Math.max(0, used - lastCpuByPid.getOrDefault(child.getProcessID(), 0L));
    }
    lastCpuByPid = cpuNow;
    workerRssMb = worker.getResidentSetSize() / MB;
    workerCpuMs = worker.getKernelTime() + worker.getUserTime();
    rssMbByPid = Map.copyOf(rssByPid);
    childrenCpuMs = cpu;
    // handles, not pids: a handle knows its process's start time, so a reused pid is not mistaken for it
    lastDescendants = descendants.stream().map(p -> ProcessHandle.of(p.getProcessID())).flatMap(java.util.Optional::stream).toList();
    return true;
  }

  /** The worker's resident memory at the last sample, NaN if never sampled. */
  public double workerRssMb() {
    return workerRssMb;
  }

  /** All descendants' resident memory together at the last sample, NaN if never sampled. */
  public double childrenRssMb() {
    return notRunningRssMb(Set.of());
  }

  /**
   * Resident memory of the descendants that are not {@code running}, at the last sample: the
   * memory the pool holds for jobs to come (idle, starting and exiting processes). NaN if never
   * sampled.
   */
  public double notRunningRssMb(Set<Long> running) {
    Map<Long, Double> byPid = rssMbByPid;
    if (byPid == null) {
      return Double.NaN;
    }
    return byPid.entrySet().stream().filter(e -> !running.contains(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
  }

  /**
   * The worker's descendants at the last sample: if the worker dies, these are the processes
   * that must not outlive it (they are no longer its descendants once it is gone).
   */
  public List<ProcessHandle> lastDescendants() {
    return lastDescendants;
  }

  public int children() {
    Map<Long, Double> byPid = rssMbByPid;
    return byPid == null ? 0 : byPid.size();
  }

  /** The worker's own CPU time so far (user + system), ms. */
  public long workerCpuMs() {
    return workerCpuMs;
  }

  /**
   * CPU time of the descendants seen so far, ms: each process's use since the sample before is
   * added, so it only grows while processes are replaced (a process's use between its last
   * sample and its exit is not seen).
   */
  public long childrenCpuMs() {
    return childrenCpuMs;
  }
}
