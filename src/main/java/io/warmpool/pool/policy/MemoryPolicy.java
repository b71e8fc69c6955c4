package io.warmpool.pool.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Memory rules (Celery's and uWSGI's): a process over {@code pool.memorySoftMb} is recycled
 * after its current job, never killed for it; a pool over {@code pool.totalMemorySoftMb} stops
 * spawning idle processes; a pool over {@code pool.totalMemoryHardMb} reaps idle processes,
 * never busy ones, and spawns none that would take it over that limit again. Pure, so every
 * rule is table-tested. Sizes in bytes; a limit of 0 is off.
 */
public final class MemoryPolicy {

  public static final long MB = 1024 * 1024;

  private final long softBytes;
  private final long totalSoftBytes;
  private final long totalHardBytes;

  public MemoryPolicy(long softMb, long totalSoftMb, long totalHardMb) {
    this.softBytes = softMb * MB;
    this.totalSoftBytes = totalSoftMb * MB;
    this.totalHardBytes = totalHardMb * MB;
  }

  /** The process should not take another job once its current one ends. */
  public boolean recycleAfterJob(long residentBytes) {
    return softBytes > 0 && residentBytes > softBytes;
  }

  /**
   * Idle processes may be spawned for the target (jobs waiting for a process always get one):
   * the pool is under the total soft limit, and one more process would not take it over the
   * total hard limit. Without the second rule a pool kept over the hard limit by busy processes
   * spawned idle processes only to reap each one once it was ready, for as long as the busy
   * ones ran.
   *
   * @param newProcessBytes what one more idle process is expected to add: the smallest idle
   *                        process measured, 0 before any was
   */
  public boolean allowsIdleSpawns(long totalResidentBytes, long newProcessBytes) {
    return (totalSoftBytes == 0 || totalResidentBytes < totalSoftBytes)
      && (totalHardBytes == 0 || totalResidentBytes + newProcessBytes <= totalHardBytes);
  }

  /**
   * Which idle processes to reap, largest first, to bring the pool under the hard limit.
   *
   * @param idleResident resident bytes of each idle process, by index
   * @return indexes into {@code idleResident}
   */
  public List<Integer> idleToReap(long totalResidentBytes, List<Long> idleResident) {
    List<Integer> reap = new ArrayList<>();
    if (totalHardBytes == 0 || totalResidentBytes <= totalHardBytes) {
      return reap;
    }
    List<Integer> largestFirst = new ArrayList<>();
    for (int i = 0; i < idleResident.size(); i++) {
      largestFirst.add(i);
    }
    largestFirst.sort(Comparator.comparingLong((Integer i) -> idleResident.get(i)).reversed());
    long total = totalResidentBytes;
    for (int index : largestFirst) {
      if (total <= totalHardBytes) {
        break;
      }
      reap.add(index);
      total -= idleResident.get(index);
    }
    return reap;
  }
}
