package io.warmpool.load;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * CPU load of this process's cgroup against its CPU quota: in a container limited to 1.5 CPUs on
 * a 16-CPU host, system-wide CPU says "idle" while the container is being throttled.
 * <p>
 * load = Δusage / (Δwall × cores), where cores is the quota over its period, bounded by the CPUs
 * the JVM may use; with no quota it is those CPUs. Both cgroup versions are read:
 * <ul>
 *   <li>v2: the {@code 0::/path} line of {@code /proc/self/cgroup}, under {@code /sys/fs/cgroup}:
 *   {@code cpu.max} ("quota period" in µs, or "max period") and {@code usage_usec} of
 *   {@code cpu.stat};</li>
 *   <li>v1: the lines whose controllers include {@code cpu} and {@code cpuacct}, each under
 *   {@code /sys/fs/cgroup/<controller>} (or the co-mounted {@code cpu,cpuacct}):
 *   {@code cpu.cfs_quota_us} over {@code cpu.cfs_period_us} (quota -1: none) and
 *   {@code cpuacct.usage} (ns). A v1 cpu line wins over the {@code 0::} line, which a hybrid
 *   host also lists with no controller in it.</li>
 * </ul>
 * A path that is not a directory under the mount (a container without its own cgroup namespace
 * sees the host's path) means the mount itself. The files are found and read again on every
 * sample, so a quota changed at run time ({@code docker update}) is followed.
 * <p>
 * {@link #sample()} never throws: when the files are missing or unreadable, or the usage
 * counter goes backwards (cgroup re-created, counter reset), it keeps the last load, starts a
 * new interval and logs the problem once. Keeping the last load rather than reading 0 avoids
 * telling the pool the machine went idle when nothing was measured.
 */
public final class CgroupCpuLoadSource implements LoadSource {

  private static final Logger log = LoggerFactory.getLogger(CgroupCpuLoadSource.class);

  private final Path root;
  private final LongSupplier nanoClock;
  private final int cpus;
  private final Set<String> warned = new HashSet<>();
  private boolean haveBaseline;
  private long previousUsageUsec;
  private long previousNanos;
  private double last;
  private volatile double perJob;

  /** Reads the real {@code /proc} and {@code /sys/fs/cgroup}. */
  public CgroupCpuLoadSource() {
    this(Path.of("/"));
  }

  /**
   * @param root where {@code proc/self/cgroup} and {@code sys/fs/cgroup} are found: {@code /} in
   *             production, a directory of fake files in tests
   */
  public CgroupCpuLoadSource(Path root) {
    this(root, System::nanoTime, Runtime.getRuntime().availableProcessors());
  }

  CgroupCpuLoadSource(Path root, LongSupplier nanoClock, int cpus) {
    this.root = root;
    this.nanoClock = nanoClock;
    this.cpus = Math.max(1, cpus);
    this.perJob = perJob(cores(quotaCores(root)));
  }

  /**
   * The CPUs the cgroup quota allows (quota/period, e.g. 1.5), or empty when there is no cgroup
   * CPU controller, no quota ({@code max}, -1) or nothing readable. Reads files: call it off the
   * event loop.
   *
   * @param root as for {@link #CgroupCpuLoadSource(Path)}
   */
  public static OptionalDouble quotaCores(Path root) {
    try {
      return CgroupCpuFiles.find(root).quotaCores();
    } catch (IOException | RuntimeException e) {
      return OptionalDouble.empty();
    }
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public synchronized double sample() {
    long usageUsec;
    double cores;
    long now;
    try {
      CgroupCpuFiles files = CgroupCpuFiles.find(root);
      usageUsec = files.usageUsec();
      cores = cores(files.quotaCores());
      now = nanoClock.getAsLong();
    } catch (IOException | RuntimeException e) {
      warnOnce("unreadable", "Cannot read the cgroup CPU counters under {} ({}); keeping the last load {} until they can be read",
        root, e.toString(), last);
      haveBaseline = false;
      return last;
    }
    perJob = perJob(cores);
    if (!haveBaseline) {
      haveBaseline = true;
      previousUsageUsec = usageUsec;
      previousNanos = now;
      return last;
    }
    long elapsedUsec = (now - previousNanos) / 1000;
    if (elapsedUsec <= 0) {
      // sampled twice within a microsecond: nothing to measure yet, keep the baseline
      return last;
    }
    long usedUsec = usageUsec - previousUsageUsec;
    previousUsageUsec = usageUsec;
    previousNanos = now;
    if (usedUsec < 0) {
      warnOnce("backwards", "The cgroup CPU usage counter went backwards ({} µs); keeping the last load {} and measuring from the new value",
        usedUsec, last);
      return last;
    }
    last = usedUsec / (elapsedUsec * cores);
    return last;
  }

  /** One busy core's share of the quota: a quota below one CPU is filled by a single job. */
  @Override
  public double loadPerJobHint() {
    return perJob;
  }

  private double cores(OptionalDouble quota) {
    // a quota above the CPUs present cannot be used: 8 CPUs of quota on a 2-CPU host is 2
    return quota.isPresent() ? Math.min(quota.getAsDouble(), cpus) : cpus;
  }

  private static double perJob(double cores) {
    return Math.min(1.0, 1.0 / cores);
  }

  private void warnOnce(String problem, String format, Object... args) {
    if (warned.add(problem)) {
      log.warn(format, args);
    }
  }
}
