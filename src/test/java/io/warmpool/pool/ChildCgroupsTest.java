package io.warmpool.pool;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the worker's own cgroup v2 folder is, from the texts of /proc/self/mountinfo and /proc/self/cgroup. */
class ChildCgroupsTest {

  private static final String V2 = """
    22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
    30 22 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
    """;

  private static final String HYBRID = """
    33 25 0:29 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
    34 33 0:30 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw
    35 33 0:31 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,memory
    """;

  @Test
  void aUnifiedHierarchyHoldsThePathOfLineZero() {
    assertThat(ChildCgroups.ownCgroup(V2, "0::/system.slice/warmpool.service\n"))
      .isEqualTo(Path.of("/sys/fs/cgroup/system.slice/warmpool.service"));
    assertThat(ChildCgroups.ownCgroup(V2, "0::/\n")).isEqualTo(Path.of("/sys/fs/cgroup"));
  }

  @Test
  void aHybridOneHasItsV2PartUnderUnified() {
    assertThat(ChildCgroups.ownCgroup(HYBRID, "4:memory:/user.slice\n0::/user.slice/session-2.scope\n"))
      .isEqualTo(Path.of("/sys/fs/cgroup/unified/user.slice/session-2.scope"));
  }

  @Test
  void aMountOfPartOfTheHierarchyIsReadFromItsRoot() {
    String mounted = "40 30 0:26 /kubepods/pod1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
    assertThat(ChildCgroups.ownCgroup(mounted, "0::/kubepods/pod1/c1\n")).isEqualTo(Path.of("/sys/fs/cgroup/c1"));
    assertThat(ChildCgroups.ownCgroup(mounted, "0::/elsewhere\n")).as("not under the mounted part").isNull();
  }

  @Test
  void noV2NoCgroup() {
    String v1 = "35 33 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
    assertThat(ChildCgroups.ownCgroup(v1, "4:memory:/user.slice\n")).isNull();
    assertThat(ChildCgroups.ownCgroup(V2, "4:memory:/user.slice\n")).as("no line 0").isNull();
  }
}
