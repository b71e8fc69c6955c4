package io.warmpool.pool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cgroup (v2) of its own for every child, where the worker may make them: under the worker's
 * own cgroup, a folder {@code warmpool-<worker pid>-<n>} per launcher and in it one per child.
 * Whatever a child starts stays in its cgroup, however it detaches (double fork, new session),
 * and {@code cgroup.kill} (Linux 5.14) ends them all at once. Found, never required: without a
 * cgroup v2 hierarchy, the right to write in the worker's cgroup or {@code cgroup.kill}, the
 * children go without, and {@link ProcessTree} finds their processes by process group, session
 * and environment only. Blocking file operations: call on a worker thread.
 */
final class ChildCgroups {

  private static final Logger LOG = LoggerFactory.getLogger(ChildCgroups.class);
  private static final AtomicLong LAUNCHERS = new AtomicLong();

  private final Path base;
  private final AtomicLong children = new AtomicLong();
  private volatile boolean working = true;

  private ChildCgroups(Path base) {
    this.base = base;
  }

  /** The children's cgroups of one launcher, or {@code null} (said in the log) when the worker may not make them. */
  static ChildCgroups open() {
    Path own;
    try {
      own = ownCgroup(Files.readString(Path.of("/proc/self/mountinfo")), Files.readString(Path.of("/proc/self/cgroup")));
    } catch (IOException | RuntimeException e) {
      own = null;
    }
    if (own == null || !Files.isDirectory(own)) {
      LOG.info("children's processes are found by process group, session and environment: the worker is in no cgroup v2 it can see");
      return null;
    }
    removeStale(own);
    Path base = own.resolve("warmpool-" + ProcessHandle.current().pid() + "-" + LAUNCHERS.incrementAndGet());
    try {
      Files.createDirectory(base);
    } catch (IOException | RuntimeException e) {
      LOG.info("children's processes are found by process group, session and environment: no cgroup of their own ({} cannot be made: {})",
        base, e.toString());
      return null;
    }
    if (!Files.exists(base.resolve("cgroup.kill"))) {
      remove(base);
      LOG.info("children's processes are found by process group, session and environment: the kernel has no cgroup.kill (Linux < 5.14)");
      return null;
    }
    LOG.debug("children's cgroups under {}", base);
    return new ChildCgroups(base);
  }

  /**
   * Removes the empty cgroups left by workers that are gone (killed with SIGKILL, they could not
   * remove their own); one that still holds processes is left alone, and said.
   */
  private static void removeStale(Path own) {
    try (DirectoryStream<Path> bases = Files.newDirectoryStream(own, "warmpool-*-*")) {
      for (Path base : bases) {
        String[] name = base.getFileName().toString().split("-");
        long pid;
        try {
          pid = Long.parseLong(name[1]);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException notOurs) {
          continue;
        }
        if (!Files.isDirectory(base) || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        removeChildren(base, "a worker that is gone (pid " + pid + ")");
        remove(base);
      }
    } catch (IOException | RuntimeException e) {
      // nothing to tidy, or no right to
    }
  }

  /** Removes the children's cgroups under {@code base}, saying which still hold processes. */
  private static void removeChildren(Path base, String whose) {
    try (DirectoryStream<Path> left = Files.newDirectoryStream(base, "child-*")) {
      for (Path cgroup : left) {
        if (Files.isDirectory(cgroup) && !remove(cgroup)) {
          LOG.warn("cgroup {} of {} still holds processes: {}", cgroup, whose, members(cgroup));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone already
    }
  }

  /**
   * The worker's own cgroup folder: the cgroup v2 path of {@code /proc/self/cgroup} ({@code 0::/path})
   * under the mount point of the cgroup2 file system of {@code /proc/self/mountinfo}; {@code null}
   * when there is none (cgroup v1 only) or the mounted part does not hold it.
   */
  static Path ownCgroup(String mountinfo, String cgroup) {
    String path = null;
    for (String line : cgroup.split("\n")) {
      if (line.startsWith("0::")) {
        path = line.substring(3).trim();
      }
    }
    if (path == null) {
      return null;
    }
    for (String line : mountinfo.split("\n")) {
      // id parent major:minor root mount-point options [optional fields] - type source super-options
      int dash = line.indexOf(" - ");
      if (dash < 0 || !line.substring(dash + 3).startsWith("cgroup2 ")) {
        continue;
      }
      String[] fields = line.substring(0, dash).split(" ");
      if (fields.length < 5) {
        continue;
      }
      String root = unescape(fields[3]);
      String mountPoint = unescape(fields[4]);
      String relative;
      if (root.equals("/")) {
        relative = path;
      } else if (path.equals(root) || path.startsWith(root + "/")) {
        relative = path.substring(root.length());
      } else {
        continue;
      }
      return Path.of(mountPoint, relative.isEmpty() ? "/" : relative).normalize();
    }
    return null;
  }

  /** mountinfo writes a space, tab, newline and backslash in octal. */
  private static String unescape(String field) {
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
  }

  /** A new cgroup for a child, or {@code null} when none can be made. */
  Path create() {
    if (!working) {
      return null;
    }
    Path cgroup = base.resolve("child-" + children.incrementAndGet());
    try {
      Files.createDirectory(cgroup);
      return cgroup;
    } catch (IOException | RuntimeException e) {
      stopUsing("cannot make " + cgroup + ": " + e);
      return null;
    }
  }

  /** Moves the process into {@code cgroup}; false (and the cgroup removed) when it cannot be. */
  boolean enter(Path cgroup, long pid) {
    try {
      Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(pid), StandardCharsets.US_ASCII);
      return true;
    } catch (IOException | RuntimeException e) {
      stopUsing("cannot move a child into " + cgroup + ": " + e);
      remove(cgroup);
      return false;
    }
  }

  private void stopUsing(String why) {
    if (working) {
      working = false;
      LOG.warn("children get no cgroup of their own from now on ({}); their processes are found by process group, session and environment",
        why);
    }
  }

  /** The processes in {@code cgroup} now; none when it cannot be read. */
  static List<Long> members(Path cgroup) {
    List<Long> pids = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(cgroup.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
        if (!line.isBlank()) {
          pids.add(Long.parseLong(line.trim()));
        }
      }
    } catch (IOException | RuntimeException gone) {
      // removed already, or never made
    }
    return pids;
  }

  /** SIGKILLs every process in {@code cgroup}, those it starts meanwhile included. */
  static void kill(Path cgroup) {
    try {
      Files.writeString(cgroup.resolve("cgroup.kill"), "1", StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException gone) {
      // removed already: nothing in it to kill
    }
  }

  /** Removes an empty cgroup; false while processes are still in it. */
  static boolean remove(Path cgroup) {
    try {
      Files.deleteIfExists(cgroup);
      return true;
    } catch (IOException | RuntimeException busy) {
      return false;
    }
  }

  /** Removes the launcher's cgroup, and any child's left in it (empty ones only). */
  void close() {
    removeChildren(base, "this worker");
    remove(base);
  }
}
