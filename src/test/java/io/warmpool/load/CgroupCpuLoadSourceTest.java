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

    write(root.resolve("proc/self/cgroup"), "4:memory:/docker/abc\n1:cpu:/docker/abc\n");
    assertThat(CgroupCpuLoadSource.quotaCores(root)).as("cgroup v1 only").isEmpty();
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
