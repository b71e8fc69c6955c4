package io.warmpool.pool;

import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads children's resident memory through OSHI. Blocking (it reads /proc): call on a worker thread. */
final class ChildMemoryReader {

  private OperatingSystem os;

  synchronized Map<Long, Long> residentBytes(List<Long> pids) {
    if (os == null) {
      os = new SystemInfo().getOperatingSystem();
    }
    Map<Long, Long> resident = new HashMap<>();
    for (long pid : pids) {
      OSProcess process = os.getProcess((int) pid);
      if (process != null) {
        resident.put(pid, process.getResidentSetSize());
      }
    }
    return resident;
  }
}
