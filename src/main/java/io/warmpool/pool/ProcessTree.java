package io.warmpool.pool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One child's processes: the child and everything it started, wherever that went. A process is
 * the child's when it is
 * <ul>
 *   <li>the child, or below it by parent (while the child lives);</li>
 *   <li>in its process group or session (the child runs under {@code setsid}: both ids are its
 *       pid), which is where what it starts stays when the child dies and they are re-parented;</li>
 *   <li>in its cgroup, when it has one ({@link ChildCgroups}): nothing leaves that;</li>
 *   <li>when killing: a process started after the child whose environment holds the child's
 *       channel token ({@code WARMPOOL_IPC_TOKEN}, new for every child), which is how a process
 *       that left both (a double fork and a new session) is still found, unless it emptied its
 *       environment.</li>
 * </ul>
 * A process older than the child is never one of its own. Every kill and every reap ends all
 * of them; memory limits count all but those found by their environment alone (reading every
 * environment at each memory reading would cost more than it finds). Blocking (it reads
 * {@code /proc}): call on a worker thread.
 */
final class ProcessTree {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessTree.class);
  /** Kill rounds, each a fresh look at {@code /proc}: what a dying process forked is found by the next. */
  private static final int MAX_ROUNDS = 12;
  private static final long MAX_ROUND_PAUSE_MS = 100;

  final long pid;
  /** The child's start time in clock ticks since boot; -1 when it was gone before it could be read. */
  private final long startTicks;
  /** Whether the child leads its own session and process group (it was started under setsid). */
  private final boolean ownSession;
  /** {@code WARMPOOL_IPC_TOKEN=<token>}, as it is in the environment of everything the child starts. */
  private final byte[] marker;
  /** Its cgroup, or {@code null}. */
  private final Path cgroup;

  ProcessTree(long pid, long startTicks, boolean ownSession, String token, Path cgroup) {
    this.pid = pid;
    this.startTicks = startTicks;
    this.ownSession = ownSession;
    this.marker = ("WARMPOOL_IPC_TOKEN=" + token).getBytes(StandardCharsets.UTF_8);
    this.cgroup = cgroup;
  }

  /** The tree of a process just started; reads its start time. */
  static ProcessTree of(Process process, boolean ownSession, String token, Path cgroup) {
    ProcTable.Entry entry = ProcTable.available() ? ProcTable.entry(process.pid()) : null;
    return new ProcessTree(process.pid(), entry == null ? -1 : entry.startTicks(), ownSession, token, cgroup);
  }

  Path cgroup() {
    return cgroup;
  }

  /**
   * The live processes of the tree in {@code table}; with {@code escaped}, also those found by
   * the token in their environment (one file read per process younger than the child).
   */
  Set<Long> members(ProcTable table, boolean escaped) {
    Set<Long> members = new LinkedHashSet<>();
    ProcTable.Entry root = table.get(pid);
    if (root != null && (startTicks < 0 || root.startTicks() == startTicks)) {
      members.add(pid);
      members.addAll(table.descendants(pid));
    }
    if (cgroup != null) {
      for (long member : ChildCgroups.members(cgroup)) {
        if (table.get(member) != null) {
          members.add(member);
        }
      }
    }
    for (ProcTable.Entry entry : table.entries()) {
      if (members.contains(entry.pid()) || entry.startTicks() < startTicks) {
        continue;
      }
      boolean grouped = ownSession && (entry.pgrp() == pid || entry.session() == pid);
      if (grouped || (escaped && ProcTable.environmentHas(entry.pid(), marker))) {
        members.add(entry.pid());
        members.addAll(table.descendants(entry.pid()));
      }
    }
    return members;
  }

  /**
   * SIGKILLs every process of the tree, the child included ({@code process}, when it is still
   * there), and looks again until none is left, for a bounded time: about 0.6 s. Its cgroup, if
   * any, is killed first (atomically, forks included) and removed once empty. Returns what could
   * not be ended; empty as a rule.
   */
  Set<Long> kill(Process process) {
    if (!ProcTable.available()) {
      return killWithoutProc(process);
    }
    if (cgroup != null) {
      ChildCgroups.kill(cgroup);
    }
    Set<Long> left = Set.of();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      ProcTable table;
      try {
        table = ProcTable.read();
      } catch (IOException e) {
        LOG.warn("cannot read /proc to end the processes of child {}: {}", pid, e.toString());
        return killWithoutProc(process);
      }
      // the snapshot is taken before anything is killed: the child's descendants by parent are found while it lives
      left = members(table, true);
      if (left.isEmpty()) {
        break;
      }
      for (long member : left) {
        if (member == pid && process != null) {
          process.destroyForcibly();
        } else {
          signal(member, table.get(member).startTicks());
        }
      }
      try {
        Thread.sleep(Math.min(1L << round, MAX_ROUND_PAUSE_MS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (!left.isEmpty()) {
      LOG.warn("could not end every process of child {}: {} still alive", pid, left);
    } else if (cgroup != null) {
      ChildCgroups.remove(cgroup);
    }
    return left;
  }

  /** SIGKILLs {@code pid} if it is still the process that started at {@code ticks} (pids are reused). */
  private static void signal(long pid, long ticks) {
    ProcessHandle.of(pid).ifPresent(handle -> {
      // the handle holds the start time it saw, and destroy checks it: so this one is checked
      ProcTable.Entry now = ProcTable.entry(pid);
      if (now != null && now.startTicks() == ticks) {
        handle.destroyForcibly();
      }
    });
  }

  /** Without {@code /proc}: the child's descendants as the JDK sees them, then the child. */
  private Set<Long> killWithoutProc(Process process) {
    if (process == null) {
      return Set.of();
    }
    List<ProcessHandle> descendants = process.toHandle().descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    return Set.of();
  }

  /** Without {@code /proc}: the child and its descendants as the JDK sees them. */
  static List<Long> membersWithoutProc(long pid) {
    return ProcessHandle.of(pid).stream()
      .flatMap(handle -> java.util.stream.Stream.concat(java.util.stream.Stream.of(handle), handle.descendants()))
      .map(ProcessHandle::pid)
      .toList();
  }

  @Override
  public String toString() {
    return "process tree of " + pid + (cgroup == null ? "" : " (cgroup " + cgroup + ")");
  }
}
