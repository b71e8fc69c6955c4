package io.warmpool.pool;

import io.warmpool.pool.policy.MemoryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warmpool.config.WorkerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The children's resident memory against the pool's limits, each child's counted over its
 * {@link ProcessTree} (the child and every process it started): per child, a warning, a soft limit
 * (recycled after its job) and a hard one (killed, its job fails {@code memory-limit}); for the
 * whole pool, a soft limit that holds back idle spawns and a hard one that reaps idle children,
 * largest first, and holds back the idle spawns that would take the pool over it again. Reading
 * memory blocks, so it runs on a worker thread; the verdicts are applied on the pool's event loop.
 */
final class MemoryWatch {

  private static final Logger LOG = LoggerFactory.getLogger(MemoryWatch.class);

  private final Vertx vertx;
  private final WorkerConfig.Pool config;
  private final MemoryPolicy policy;
  private final ChildMemoryReader reader = new ChildMemoryReader();
  private long totalResidentBytes;
  /** The smallest idle child of the latest reading that had one: what a new idle child adds. */
  private long idleChildBytes;
  private boolean reading;

  MemoryWatch(Vertx vertx, WorkerConfig.Pool config) {
    this.vertx = vertx;
    this.config = config;
    this.policy = new MemoryPolicy(config.memorySoftMb(), config.totalMemorySoftMb(), config.totalMemoryHardMb());
  }

  long totalResidentBytes() {
    return totalResidentBytes;
  }

  /** Under the pool's total soft limit, and room under the hard one: idle children may be spawned. */
  boolean allowsIdleSpawns() {
    return policy.allowsIdleSpawns(totalResidentBytes, idleChildBytes);
  }

  /**
   * Reads the children's memory and applies the limits. Completes once applied, or at once when
   * a reading is still running; a failed reading is logged and changes nothing.
   */
  Future<Void> check(Collection<SupervisedChild> children) {
    List<ProcessTree> trees = new ArrayList<>();
    for (SupervisedChild child : children) {
      if (child.tree() != null) {
        trees.add(child.tree());
      }
    }
    if (reading || trees.isEmpty()) {
      return Future.succeededFuture();
    }
    reading = true;
    return vertx.executeBlocking(() -> reader.residentBytes(trees), false)
      .onComplete(ar -> reading = false)
      .map(resident -> {
        apply(List.copyOf(children), resident);
        return (Void) null;
      })
      .recover(err -> {
        LOG.warn("cannot read children's memory: {}", err.getMessage());
        return Future.succeededFuture();
      });
  }

  private void apply(List<SupervisedChild> children, Map<ProcessTree, Long> residentByTree) {
    long warnBytes = config.memoryWarnMb() * MemoryPolicy.MB;
    long limitBytes = config.memoryLimitMb() * MemoryPolicy.MB;
    long total = 0;
    long smallestIdle = Long.MAX_VALUE;
    for (SupervisedChild child : children) {
      Long resident = child.tree() == null ? null : residentByTree.get(child.tree());
      if (resident == null || child.state() == ProcessState.EXITING || child.state() == ProcessState.REAPED) {
        continue;
      }
      child.residentBytes = resident;
      total += resident;
      if (child.state() == ProcessState.IDLE) {
        smallestIdle = Math.min(smallestIdle, resident);
      }
      if (limitBytes > 0 && resident > limitBytes) {
        child.kill(ExitCause.MEMORY_LIMIT, "resident memory " + resident / MemoryPolicy.MB
          + " MB (the process and those it started) over pool.memoryLimitMb (" + config.memoryLimitMb() + " MB)");
        continue;
      }
      if (warnBytes > 0 && resident > warnBytes && !child.memoryWarned) {
        child.memoryWarned = true;
        LOG.warn("child {} uses {} MB resident memory with the processes it started, over pool.memoryWarnMb ({} MB)", child,
          resident / MemoryPolicy.MB, config.memoryWarnMb());
      }
      if (policy.recycleAfterJob(resident)) {
        // over the soft limit: never killed for it, just not given another job
        if (child.state() == ProcessState.IDLE) {
          child.stop(ExitCause.MEMORY_SOFT, "resident memory over pool.memorySoftMb");
        } else {
          child.recycleAfterJob = true;
        }
      }
    }
    totalResidentBytes = total;
    if (smallestIdle != Long.MAX_VALUE) {
      idleChildBytes = smallestIdle;
    }
    reapIdleOverTotalHardLimit(children);
  }

  private void reapIdleOverTotalHardLimit(List<SupervisedChild> children) {
    List<SupervisedChild> idle = children.stream().filter(c -> c.state() == ProcessState.IDLE).toList();
    List<Long> resident = idle.stream().map(c -> c.residentBytes).toList();
    for (int index : policy.idleToReap(totalResidentBytes, resident)) {
      idle.get(index).stop(ExitCause.MEMORY_TOTAL, "the pool's resident memory is over pool.totalMemoryHardMb ("
        + config.totalMemoryHardMb() + " MB)");
    }
  }
}
