package io.warmpool.load;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Feeds fake {@code /proc} and {@code /sys/fs/cgroup} files from a temp dir, with a fake clock. */
class CgroupCpuLoadSourceTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @TempDir
  Path root;

  private Path cgroup;
  private final AtomicLong nanos = new AtomicLong(1_000 * SECOND);

  @BeforeEach
  void fakeCgroup() throws IOException {
    cgroup = root.resolve("sys/fs/cgroup/system.slice/warmpool.service");
    Files.createDirectories(cgroup);
    write(root.resolve("proc/self/cgroup"), "0::/system.slice/warmpool.service\n");
  }

  @Test
  void measuresUsageAgainstTheQuota() throws IOException {
    cpuMax("50000 100000");
    usage(1_000_000);
    CgroupCpuLoadSource source = new CgroupCpuLoadSource(root, nanos::get, 4);

    assertThat(source.name()).isEqualTo("cpu");
    assertThat(source.sample()).as("first sample only sets the baseline").isZero();

    nanos.addAndGet(SECOND);
    usage(1_250_000);
    assertThat(source.sample()).as("0.25 s of CPU in 1 s against half a CPU").isCloseTo(0.5, within(1e-9));

    nanos.addAndGet(2 * SECOND);
    usage(2_250_000);
    assertThat(source.sample()).as("a full half CPU").isCloseTo(1.0, within(1e-9));
  }

  @Test
  void followsAQuotaChangedAtRunTime() throws IOException {
    cpuMax("100000 100000");
    usage(0);
    CgroupCpuLoadSource source = new CgroupCpuLoadSource(root, nanos::get, 4);
    assertThat(source.loadPerJobHint()).isEqualTo(1.0);
    source.sample();

    cpuMax("200000 100000");
    nanos.addAndGet(SECOND);
    usage(500_000);
    assertThat(source.sample()).isCloseTo(0.25, within(1e-9));
    assertThat(source.loadPerJobHint()).isEqualTo(0.5);
  }

  @Test
  void withoutQuotaUsesTheCpus() throws IOException {
    cpuMax("max 100000");
    usage(0);
    CgroupCpuLoadSource source = new CgroupCpuLoadSource(root, nanos::get, 4);
    assertThat(source.loadPerJobHint()).isEqualTo(0.25);
    source.sample();

    nanos.addAndGet(SECOND);
    usage(2_000_000);
    assertThat(source.sample()).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void aQuotaAboveTheCpusPresentCountsOnlyThoseCpus() throws IOException {
    cpuMax("800000 100000");
    usage(0);
    CgroupCpuLoadSource source = new CgroupCpuLoadSource(root, nanos::get, 2);
    source.sample();

    nanos.addAndGet(SECOND);
    usage(2_000_000);
    assertThat(source.sample()).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void aCounterGoingBackwardsKeepsTheLastLoadAndMeasuresFromTheNewValue() throws IOException {
    cpuMax("100000 100000");
    usage(5_000_000);
    CgroupCpuLoadSource source = new CgroupCpuLoadSource(root, nanos::get, 4);
    source.sample();
    nanos.addAndGet(SECOND);
    usage(5_400_000);
    assertThat(source.sample()).isCloseTo(0.4, within(1e-9));

    nanos.addAndGet(SECOND);
    usage(100_000);
    assertThat(source.sample()).as("kept, not negative").isCloseTo(0.4, within(1e-9));

    nanos.addAndGet(SECOND);
    usage(800_000);
    assertThat(source.sample()).isCloseTo(0.7, within(1e-9));
  }

  @Test
  void missingOrBrokenFilesNeverThrow() throws IOException {
    cpuMax("100000 100000");
    CgroupCpuLoadSource source = new CgroupCpuLoadSource(root, nanos::get, 4);
    assertThat(source.sample()).as("no cpu.stat yet").isZero();

    usage(0);
    source.sample();
    nanos.addAndGet(SECOND);
    usage(300_000);
    assertThat(source.sample()).isCloseTo(0.3, within(1e-9));

    Files.delete(cgroup.resolve("cpu.stat"));
    nanos.addAndGet(SECOND);
    assertThat(source.sample()).as("missing: last load kept").isCloseTo(0.3, within(1e-9));

    write(cgroup.resolve("cpu.stat"), "usage_usec lots\n");
    nanos.addAndGet(SECOND);
    assertThat(source.sample()).as("garbage: last load kept").isCloseTo(0.3, within(1e-9));

    write(cgroup.resolve("cpu.max"), "banana\n");
    usage(10_000_000);
    nanos.addAndGet(SECOND);
    assertThat(source.sample()).isCloseTo(0.3, within(1e-9));

    cpuMax("100000 100000");
    nanos.addAndGet(SECOND);
    usage(10_900_000);
    assertThat(source.sample()).as("readable again: a new interval from the first good read")
      .isCloseTo(0.3, within(1e-9));
    nanos.addAndGet(SECOND);
    usage(11_800_000);
    assertThat(source.sample()).isCloseTo(0.9, within(1e-9));

    Files.delete(root.resolve("proc/self/cgroup"));
    assertThat(source.sample()).isCloseTo(0.9, within(1e-9));
  }

  @Test
  void findsTheQuota() throws IOException {
    assertThat(CgroupCpuLoadSource.quotaCores(root)).as("no cpu.max").isEmpty();
    cpuMax("max 100000");
    assertThat(CgroupCpuLoadSource.quotaCores(root)).isEmpty();
    cpuMax("150000 100000");
    assertThat(CgroupCpuLoadSource.quotaCores(root)).hasValue(1.5);
    cpuMax("-1 100000");
    assertThat(CgroupCpuLoadSource.quotaCores(root)).isEmpty();

    write(root.resolve("proc/self/cgroup"), "4:memory:/docker/abc\n");
    assertThat(CgroupCpuLoadSource.quotaCores(root)).as("no cpu controller at all").isEmpty();
    assertThat(CgroupCpuLoadSource.quotaCores(root.resolve("nowhere"))).isEmpty();
  }

  @Test
  void aHostPathWithoutCgroupNamespaceFallsBackToTheMountRoot() throws IOException {
    write(root.resolve("proc/self/cgroup"), "0::/docker/0123abcd\n");
    write(root.resolve("sys/fs/cgroup/cpu.max"), "200000 100000\n");
    assertThat(CgroupCpuLoadSource.quotaCores(root)).hasValue(2.0);

    write(root.resolve("proc/self/cgroup"), "0::/\n");
    assertThat(CgroupCpuLoadSource.quotaCores(root)).hasValue(2.0);
  }

  // cgroup v1: the quota in cpu.cfs_quota_us / cpu.cfs_period_us of the cpu hierarchy, the usage
  // in cpuacct.usage (ns) of the cpuacct hierarchy, each mounted under /sys/fs/cgroup/<controller>

  @Test
  void v1MeasuresUsageAgainstTheCfsQuota() throws IOException {
    Path cpu = v1("1:cpu:/docker/abc", "2:cpuacct:/docker/abc");
    Path acct = cpuacct("docker/abc");
    v1Quota(cpu, "150000", "100000");
    v1Usage(acct, 1_000_000_000L);
    CgroupCpuLoadSource source = new CgroupCpuLoadSource(root, nanos::get, 4);
    assertThat(CgroupCpuLoadSource.quotaCores(root)).hasValue(1.5);
    assertThat(source.loadPerJobHint()).isCloseTo(1 / 1.5, within(1e-9));
    assertThat(source.sample()).as("first sample only sets the baseline").isZero();

    nanos.addAndGet(SECOND);
    v1Usage(acct, 1_750_000_000L);
    assertThat(source.sample()).as("0.75 s of CPU in 1 s against 1.5 CPUs").isCloseTo(0.5, within(1e-9));

    v1Quota(cpu, "50000", "100000");
    nanos.addAndGet(SECOND);
    v1Usage(acct, 2_250_000_000L);
    assertThat(source.sample()).as("a quota changed at run time is followed").isCloseTo(1.0, within(1e-9));
    assertThat(source.loadPerJobHint()).isEqualTo(1.0);
  }

  @Test
  void v1WithoutQuotaUsesTheCpus() throws IOException {
    Path cpu = v1("3:cpu,cpuacct:/kubepods/pod1/c1");
    Path acct = cpuacct("kubepods/pod1/c1");
    v1Quota(cpu, "-1", "100000");
    v1Usage(acct, 0);
    assertThat(CgroupCpuLoadSource.quotaCores(root)).as("-1 is no quota").isEmpty();
    CgroupCpuLoadSource source = new CgroupCpuLoadSource(root, nanos::get, 4);
    assertThat(source.loadPerJobHint()).isEqualTo(0.25);
    source.sample();

    nanos.addAndGet(SECOND);
    v1Usage(acct, 3_000_000_000L);
    assertThat(source.sample()).isCloseTo(0.75, within(1e-9));
  }

  @Test
  void v1HierarchiesMountedTogetherAndSeparately() throws IOException {
    // cpu and cpuacct co-mounted under their joint name, no per-controller symlink
    write(root.resolve("proc/self/cgroup"), "5:cpuacct,cpu:/app\n");
    Path joint = root.resolve("sys/fs/cgroup/cpuacct,cpu/app");
    v1Quota(joint, "200000", "100000");
    assertThat(CgroupCpuLoadSource.quotaCores(root)).hasValue(2.0);

    // separate hierarchies at different paths
    write(root.resolve("proc/self/cgroup"), "2:cpuacct:/acct\n1:cpu:/limits\n");
    Path cpu = root.resolve("sys/fs/cgroup/cpu/limits");
    Path acct = cpuacct("acct");
    v1Quota(cpu, "100000", "100000");
    v1Usage(acct, 0);
    CgroupCpuLoadSource source = new CgroupCpuLoadSource(root, nanos::get, 4);
    source.sample();
    nanos.addAndGet(SECOND);
    v1Usage(acct, 600_000_000L);
    assertThat(source.sample()).isCloseTo(0.6, within(1e-9));
  }

  @Test
  void v1WithoutCgroupNamespaceFallsBackToTheMountRoot() throws IOException {
    write(root.resolve("proc/self/cgroup"), "4:cpu,cpuacct:/docker/0123abcd\n");
    Path mount = root.resolve("sys/fs/cgroup/cpu");
    v1Quota(mount, "250000", "100000");
    assertThat(CgroupCpuLoadSource.quotaCores(root)).hasValue(2.5);
  }

  @Test
  void v1WinsOverTheUnifiedLineOfAHybridHost() throws IOException {
    // a hybrid host: the v2 hierarchy is mounted but holds no controller; cpu is on v1
    write(root.resolve("proc/self/cgroup"), "2:cpuacct:/\n1:cpu:/\n0::/\n");
    Path cpu = root.resolve("sys/fs/cgroup/cpu");
    v1Quota(cpu, "100000", "100000");
    v1Usage(cpuacct(""), 0);
    assertThat(CgroupCpuLoadSource.quotaCores(root)).hasValue(1.0);
  }

  @Test
  void v1MissingOrBrokenFilesNeverThrow() throws IOException {
    Path cpu = v1("1:cpu:/c", "2:cpuacct:/c");
    Path acct = cpuacct("c");
    v1Quota(cpu, "100000", "100000");
    CgroupCpuLoadSource source = new CgroupCpuLoadSource(root, nanos::get, 4);
    assertThat(source.sample()).as("no cpuacct.usage yet").isZero();

    v1Usage(acct, 0);
    source.sample();
    nanos.addAndGet(SECOND);
    v1Usage(acct, 400_000_000L);
    assertThat(source.sample()).isCloseTo(0.4, within(1e-9));

    Files.delete(acct.resolve("cpuacct.usage"));
    nanos.addAndGet(SECOND);
    assertThat(source.sample()).as("usage missing: last load kept").isCloseTo(0.4, within(1e-9));

    v1Usage(acct, 1_000_000_000L);
    Files.delete(cpu.resolve("cpu.cfs_period_us"));
    nanos.addAndGet(SECOND);
    assertThat(source.sample()).as("period missing beside a quota: last load kept").isCloseTo(0.4, within(1e-9));
    assertThat(CgroupCpuLoadSource.quotaCores(root)).isEmpty();

    Files.delete(cpu.resolve("cpu.cfs_quota_us"));
    assertThat(CgroupCpuLoadSource.quotaCores(root)).as("no quota file: no quota").isEmpty();
    nanos.addAndGet(SECOND);
    v1Usage(acct, 1_000_000_000L);
    source.sample();
    nanos.addAndGet(SECOND);
    v1Usage(acct, 3_000_000_000L);
    assertThat(source.sample()).as("measured against the 4 CPUs").isCloseTo(0.5, within(1e-9));

    write(root.resolve("proc/self/cgroup"), "1:cpu:/c\n");
    nanos.addAndGet(SECOND);
    assertThat(source.sample()).as("no cpuacct hierarchy: last load kept").isCloseTo(0.5, within(1e-9));
  }

  /** Writes {@code /proc/self/cgroup} and returns the cpu hierarchy's directory for its path. */
  private Path v1(String... lines) throws IOException {
    write(root.resolve("proc/self/cgroup"), String.join("\n", lines) + "\n");
    String path = lines[0].split(":", 3)[2];
    Path dir = root.resolve("sys/fs/cgroup/cpu").resolve(path.substring(1));
    Files.createDirectories(dir);
    return dir;
  }

  private void v1Quota(Path dir, String quota, String period) throws IOException {
    write(dir.resolve("cpu.cfs_quota_us"), quota + "\n");
    write(dir.resolve("cpu.cfs_period_us"), period + "\n");
  }

  private void v1Usage(Path cpuacctDir, long nanos) throws IOException {
    write(cpuacctDir.resolve("cpuacct.usage"), nanos + "\n");
  }

  private Path cpuacct(String path) {
    return root.resolve("sys/fs/cgroup/cpuacct").resolve(path);
  }

  private void cpuMax(String content) throws IOException {
    write(cgroup.resolve("cpu.max"), content + "\n");
  }

  private void usage(long usec) throws IOException {
    write(cgroup.resolve("cpu.stat"), "usage_usec " + usec + "\nuser_usec " + usec / 2 + "\nsystem_usec " + usec / 2 + "\n");
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
