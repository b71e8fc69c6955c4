package io.warmpool.pool;

import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the resident memory of children's process trees: the child and every process of its
 * {@link ProcessTree}, from one look at {@code /proc}. Where there is no {@code /proc}, the
 * child and its descendants through OSHI. Blocking: call on a worker thread.
 */
final class ChildMemoryReader {

  private OperatingSystem os;

  /** Each tree's resident bytes, by the tree; a tree whose processes are all gone is left out. */
  synchronized Map<ProcessTree, Long> residentBytes(List<ProcessTree> trees) throws IOException {
    Map<ProcessTree, Long> resident = new HashMap<>();
    if (!ProcTable.available()) {
      if (os == null) {
        os = new SystemInfo().getOperatingSystem();
      }
      for (ProcessTree tree : trees) {
        sum(tree, ProcessTree.membersWithoutProc(tree.pid), this::oshiResidentBytes, resident);
      }
      return resident;
    }
    ProcTable table = ProcTable.read();
    for (ProcessTree tree : trees) {
      sum(tree, tree.members(table, false), ChildMemoryReader::procResidentBytes, resident);
    }
    return resident;
  }

  private interface Reader {
    long residentBytes(long pid);
  }

  private static void sum(ProcessTree tree, Iterable<Long> pids, Reader reader, Map<ProcessTree, Long> resident) {
    long total = 0;
    boolean any = false;
    for (long pid : pids) {
      long bytes = reader.residentBytes(pid);
      if (bytes >= 0) {
        total += bytes;
        any = true;
      }
    }
    if (any) {
      resident.put(tree, total);
    }
  }

  /** {@code VmRSS} of {@code /proc/PID/status}; -1 when the process is gone. */
  static long procResidentBytes(long pid) {
    List<String> status;
    try {
      status = Files.readAllLines(ProcTable.PROC.resolve(Long.toString(pid)).resolve("status"), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException gone) {
      return -1;
    }
    for (String line : status) {
      if (line.startsWith("VmRSS:")) {
        // "VmRSS:     1234 kB"
        String[] fields = line.substring(6).trim().split("\\s+");
        return Long.parseLong(fields[0]) * 1024;
      }
    }
    return 0; // a kernel thread, or a process on its way out
  }

  private long oshiResidentBytes(long pid) {
    OSProcess process = os.getProcess((int) pid);
    return process == null ? -1 : process.getResidentSetSize();
  }
}
