package io.warmpool.load;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;

import java.util.Arrays;

/**
 * System CPU utilisation from OSHI's tick counters: the share of non-idle ticks since the
 * previous sample, 0..1 over all CPUs. Used where no cgroup CPU quota is set
 * ({@link CgroupCpuLoadSource} covers containers; OSHI 6.9 does not see quotas).
 */
public final class CpuLoadSource implements LoadSource {

  private final CentralProcessor processor;
  private final int cpus;
  private long[] previousTicks;
  private double last;

  /** Reads {@code /proc} (or the platform's equivalent) once: create it off the event loop. */
  public CpuLoadSource() {
    this(new SystemInfo().getHardware().getProcessor(), Runtime.getRuntime().availableProcessors());
  }

  /**
   * @param processor where ticks come from
   * @param cpus      the CPUs this JVM may use, for {@link #loadPerJobHint()}; the JDK's
   *                  {@code availableProcessors()} already honours cgroup quotas and cpusets
   */
  public CpuLoadSource(CentralProcessor processor, int cpus) {
    this.processor = processor;
    this.cpus = Math.max(1, cpus);
    this.previousTicks = processor.getSystemCpuLoadTicks();
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public synchronized double sample() {
    long[] ticks = processor.getSystemCpuLoadTicks();
    // OSHI memoizes the ticks for ~300 ms: sampled faster than that they have not moved and the
    // load between them reads as 0. Keep the previous value and the old baseline instead, so the
    // next real change is measured over the whole interval.
    if (Arrays.equals(ticks, previousTicks)) {
      return last;
    }
    // The two-argument form computes from exactly the ticks read above; the one-argument form
    // reads them again and could see a newer set than the one kept as the baseline.
    last = processor.getSystemCpuLoadBetweenTicks(previousTicks, ticks);
    previousTicks = ticks;
    return last;
  }

  /** One busy core's share of the CPUs this JVM may use. */
  @Override
  public double loadPerJobHint() {
    return 1.0 / cpus;
  }
}
