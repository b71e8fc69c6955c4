package io.warmpool.pool;

import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * What starting processes costs the machine, the price of every idle process a policy keeps
 * warm: the CPU each child used to become ready, and the children that were started and closed
 * without ever being handed a job (wasted spawns) with the CPU their start took. The worker's
 * own stop is not counted: it closes every idle process, whatever the policy.
 */
final class SpawnCost {

  private final Vertx vertx;
  private final PoolListener listener;

  SpawnCost(Vertx vertx, PoolListener listener) {
    this.vertx = vertx;
    this.listener = listener;
  }

  /** Reads, off the event loop, the CPU the child used up to now, which is ready: its start's cost. */
  void ready(SupervisedChild child) {
    if (child.tree() == null) {
      return; // an in-memory child has no process of its own to read
    }
    long pid = child.pid();
    vertx.executeBlocking(() -> cpuSeconds(pid), false).onSuccess(seconds -> {
      child.spawnCpuSeconds = seconds;
      listener.spawnCpu(seconds);
    });
  }

  void exited(SupervisedChild child, ExitCause cause) {
    if (child.wastedSpawn() && cause != ExitCause.SHUTDOWN) {
      listener.spawnWasted(cause, child.spawnCpuSeconds);
    }
  }

  /** The process's user and system CPU so far; 0 when it is gone or the system does not say. */
  private static double cpuSeconds(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO).toNanos() / 1e9;
  }
}
