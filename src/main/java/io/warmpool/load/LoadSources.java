package io.warmpool.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warmpool.bus.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.function.IntSupplier;

/** Makes the load source {@code load.source} names. */
public final class LoadSources {

  private static final Logger log = LoggerFactory.getLogger(LoadSources.class);

  private LoadSources() {
  }

  /**
   * The source named by {@code load.source}. The cpu source reads {@code /proc} and
   * {@code /sys} to be built, so it is built on a worker thread; the external source registers
   * its consumer on the calling context.
   *
   * @param name       {@code cpu}, {@code jobs} or {@code external}
   * @param maxJobs    {@code load.maxJobs}, used by {@code jobs} only
   * @param activeJobs used by {@code jobs} only; called from a worker thread
   * @param addresses  the pool's, used by {@code external} only: it listens at their {@code load.external}
   */
  public static Future<LoadSource> create(Vertx vertx, String name, int maxJobs, IntSupplier activeJobs, Addresses addresses) {
    switch (name == null ? "" : name) {
      case "cpu":
        return vertx.executeBlocking(LoadSources::cpu, false);
      case "jobs":
        return Future.succeededFuture(new JobsLoadSource(activeJobs, maxJobs));
      case "external":
        ExternalLoadSource external = new ExternalLoadSource(vertx, addresses.loadExternal());
        return external.registered().map(external);
      default:
        return Future.failedFuture(new IllegalArgumentException(
          "load.source is '" + name + "'; allowed: cpu, jobs, external"));
    }
  }

  /**
   * The cpu source for this machine: measured against the cgroup (v2 or v1) CPU quota when one
   * is set (OSHI 6.9 cannot see it), else system-wide from OSHI. Blocks briefly on file reads.
   */
  public static LoadSource cpu() {
    var quota = CgroupCpuLoadSource.quotaCores(Path.of("/"));
    if (quota.isPresent()) {
      log.info("CPU load measured against the cgroup quota of {} CPUs", quota.getAsDouble());
      return new CgroupCpuLoadSource();
    }
    log.info("CPU load measured system-wide (no cgroup CPU quota found)");
    return new CpuLoadSource();
  }
}
