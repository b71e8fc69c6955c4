package io.warmpool.pool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes of the machine as Linux's {@code /proc} shows them at one moment: for each, its
 * parent, process group, session and start time. What {@link ProcessTree} finds a child's
 * processes by. Reading it blocks (one small file per process): call on a worker thread.
 */
final class ProcTable {

  static final Path PROC = Path.of("/proc");

  /** One live process; zombies, which are dead already, are left out. */
  record Entry(long pid, long ppid, long pgrp, long session, long startTicks) {
  }

  private final Map<Long, Entry> byPid;
  private final Map<Long, List<Long>> childrenByPid = new HashMap<>();

  private ProcTable(Map<Long, Entry> byPid) {
    this.byPid = byPid;
    for (Entry entry : byPid.values()) {
      childrenByPid.computeIfAbsent(entry.ppid(), p -> new ArrayList<>()).add(entry.pid());
    }
  }

  /** Whether this system has a {@code /proc} to read. */
  static boolean available() {
    return Files.isReadable(PROC.resolve("self/stat"));
  }

  /** Reads every process now. */
  static ProcTable read() throws IOException {
    Map<Long, Entry> byPid = new HashMap<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
      for (Path dir : dirs) {
        long pid = pidOf(dir.getFileName().toString());
        if (pid > 0) {
          Entry entry = entry(pid);
          if (entry != null) {
            byPid.put(pid, entry);
          }
        }
      }
    }
    return new ProcTable(byPid);
  }

  /** The live process {@code pid} now, or {@code null} when it is gone (or a zombie). */
  static Entry entry(long pid) {
    String stat;
    try {
      stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException gone) {
      return null;
    }
    return parseStat(pid, stat);
  }

  /** Reads a {@code /proc/PID/stat} line; {@code null} for a zombie or a line it cannot read. */
  static Entry parseStat(long pid, String stat) {
    // the command may hold spaces and parentheses: the fields start after its last ')'
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return null;
    }
    String[] fields = stat.substring(close + 2).split(" ");
    if (fields.length < 20) {
      return null;
    }
    char state = fields[0].isEmpty() ? '?' : fields[0].charAt(0);
    if (state == 'Z' || state == 'X' || state == 'x') {
      return null;
    }
    try {
      return new Entry(pid, Long.parseLong(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]),
        Long.parseLong(fields[19]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  Entry get(long pid) {
    return byPid.get(pid);
  }

  Iterable<Entry> entries() {
    return byPid.values();
  }

  /** The live descendants of {@code pid} by parent, not {@code pid} itself. */
  List<Long> descendants(long pid) {
    List<Long> found = new ArrayList<>();
    List<Long> next = new ArrayList<>(childrenByPid.getOrDefault(pid, List.of()));
    while (!next.isEmpty()) {
      long child = next.remove(next.size() - 1);
      found.add(child);
      next.addAll(childrenByPid.getOrDefault(child, List.of()));
    }
    return found;
  }

  /** Whether {@code /proc/PID/environ} holds {@code entry} ({@code NAME=value}); false when it cannot be read. */
  static boolean environmentHas(long pid, byte[] entry) {
    byte[] environ;
    try {
      environ = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
    } catch (IOException | RuntimeException unreadable) {
      return false;
    }
    // entries are separated by NUL: the entry must start at 0 or after one, and end at one or the end
    outer:
    for (int at = 0; at + entry.length <= environ.length; at++) {
      if (at > 0 && environ[at - 1] != 0) {
        continue;
      }
      for (int i = 0; i < entry.length; i++) {
        if (environ[at + i] != entry[i]) {
          continue outer;
        }
      }
      int end = at + entry.length;
      if (end == environ.length || environ[end] == 0) {
        return true;
      }
    }
    return false;
  }

  private static long pidOf(String name) {
    if (name.isEmpty() || name.length() > 10) {
      return -1;
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(name);
  }
}
