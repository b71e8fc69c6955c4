package io.warmpool.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Where this process's cgroup CPU quota and usage are, cgroup v2 or v1, as
 * {@link CgroupCpuLoadSource} describes. Found from {@code /proc/self/cgroup} under a root
 * ({@code /}, or a directory of fake files in tests); every method reads files.
 */
sealed interface CgroupCpuFiles {

  /** The CPUs the quota allows (quota/period), or empty when there is none. */
  OptionalDouble quotaCores() throws IOException;

  /** CPU time used by the cgroup and its descendants, in µs. */
  long usageUsec() throws IOException;

  static CgroupCpuFiles find(Path root) throws IOException {
    Path procFile = root.resolve("proc/self/cgroup");
    List<String> lines = Files.readAllLines(procFile);
    Path cpu = v1Dir(root, lines, "cpu");
    if (cpu != null) {
      return new V1(cpu, v1Dir(root, lines, "cpuacct"));
    }
    for (String line : lines) {
      if (line.startsWith("0::")) {
        return new V2(dirUnder(root.resolve("sys/fs/cgroup"), line.substring(3)));
      }
    }
    throw new IOException("no cgroup cpu controller (v1) nor cgroup v2 line (0::) in " + procFile);
  }

  /** cgroup v2: {@code cpu.max} and {@code cpu.stat}, in one directory. */
  record V2(Path dir) implements CgroupCpuFiles {

    /** {@code cpu.max} is "quota period" in µs, or "max period"; the root cgroup has none. */
    @Override
    public OptionalDouble quotaCores() throws IOException {
      Path file = dir.resolve("cpu.max");
      if (!Files.exists(file)) {
        return OptionalDouble.empty();
      }
      String[] fields = Files.readString(file).trim().split("\\s+");
      if (fields[0].equals("max")) {
        return OptionalDouble.empty();
      }
      long period = fields.length > 1 ? Long.parseLong(fields[1]) : 100_000;
      return quota(Long.parseLong(fields[0]), period, file);
    }

    @Override
    public long usageUsec() throws IOException {
      Path file = dir.resolve("cpu.stat");
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("usage_usec ")) {
          return Long.parseLong(line.substring("usage_usec ".length()).trim());
        }
      }
      throw new IOException("no usage_usec in " + file);
    }
  }

  /**
   * cgroup v1: {@code cpu.cfs_quota_us} and {@code cpu.cfs_period_us} in the cpu hierarchy,
   * {@code cpuacct.usage} (ns) in the cpuacct one.
   *
   * @param cpuacct null when no line names the cpuacct controller
   */
  record V1(Path cpu, Path cpuacct) implements CgroupCpuFiles {

    /** No quota file (the root cgroup on some kernels) or quota -1: no quota. */
    @Override
    public OptionalDouble quotaCores() throws IOException {
      Path quotaFile = cpu.resolve("cpu.cfs_quota_us");
      if (!Files.exists(quotaFile)) {
        return OptionalDouble.empty();
      }
      long quota = Long.parseLong(Files.readString(quotaFile).trim());
      if (quota == -1) {
        return OptionalDouble.empty();
      }
      long period = Long.parseLong(Files.readString(cpu.resolve("cpu.cfs_period_us")).trim());
      return quota(quota, period, quotaFile);
    }

    @Override
    public long usageUsec() throws IOException {
      if (cpuacct == null) {
        throw new IOException("no cgroup v1 cpuacct controller in /proc/self/cgroup");
      }
      return Long.parseLong(Files.readString(cpuacct.resolve("cpuacct.usage")).trim()) / 1000;
    }
  }

  private static OptionalDouble quota(long quota, long period, Path file) throws IOException {
    if (quota <= 0 || period <= 0) {
      throw new IOException("unexpected quota " + quota + " / period " + period + " in " + file);
    }
    return OptionalDouble.of(quota / (double) period);
  }

  /**
   * The directory of a v1 controller: from the line {@code id:controllers:/path} whose
   * controllers include it, under {@code /sys/fs/cgroup/<controller>} or, when there is no such
   * mount (no per-controller link), under the line's own controllers' name
   * ({@code cpu,cpuacct}). Null when no line names the controller.
   */
  private static Path v1Dir(Path root, List<String> lines, String controller) {
    for (String line : lines) {
      String[] fields = line.split(":", 3);
      if (fields.length == 3 && !fields[1].isEmpty()
        && Arrays.asList(fields[1].split(",")).contains(controller)) {
        Path mount = root.resolve("sys/fs/cgroup").resolve(controller);
        if (!Files.isDirectory(mount)) {
          mount = root.resolve("sys/fs/cgroup").resolve(fields[1]);
        }
        return dirUnder(mount, fields[2]);
      }
    }
    return null;
  }

  /**
   * {@code path} under {@code mount}; the mount itself when that is not a directory: a container
   * without its own cgroup namespace sees the host's path, while its own cgroup is what is
   * mounted.
   */
  private static Path dirUnder(Path mount, String path) {
    String relative = path.replaceFirst("^/+", "");
    Path dir = relative.isEmpty() ? mount : mount.resolve(relative);
    return Files.isDirectory(dir) ? dir : mount;
  }
}
