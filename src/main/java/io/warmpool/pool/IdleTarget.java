package io.warmpool.pool;

import io.warmpool.pool.policy.Admission;
import io.warmpool.pool.policy.IdlePolicy;
import io.warmpool.pool.policy.ScalingPolicy;
import io.warmpool.pool.policy.TargetDamping;
import io.warmpool.bus.WorkerStatus;
import io.warmpool.config.WorkerConfig;

/**
 * How many idle children the pool aims for, and how many it keeps: by default the load's target
 * ({@link ScalingPolicy#targetIdle}) damped over the scale-down window ({@link TargetDamping});
 * {@code pool.idlePolicy} picks another rule to compare it with ({@link IdlePolicy}).
 * The arbiter spawns up to {@link #targetIdle()} and reaps only above {@link #keepIdle()}.
 */
final class IdleTarget {

  private final Admission admission;
  private final int maxIdle;
  /** What a policy that never closes an idle process keeps: as many as the pool can hold. */
  private final int keepAll;
  private final IdlePolicy policy;
  private final TargetDamping damping;

  private int targetIdle;
  private int wantedIdle;
  /** Idle children not reaped as surplus ({@link TargetDamping.Levels#keep()}). */
  private int keepIdle;
  private Inputs lastInputs;

  IdleTarget(WorkerConfig.Pool config, Admission admission) {
    this.admission = admission;
    this.maxIdle = config.maxIdle();
    this.keepAll = config.maxProcesses();
    this.policy = IdlePolicy.of(config.idlePolicy());
    this.damping = new TargetDamping(config.scaleDownWindowMs());
  }

  /** What the target was last computed from; a change inside the dead-band does not recompute it. */
  private record Inputs(WorkerStatus status, double load, int activeJobs) {

    /** Load changes smaller than this do not move the target. */
    static final double DEAD_BAND = 0.02;

    boolean near(Inputs other) {
      return other != null && status == other.status && activeJobs == other.activeJobs
        && Math.abs(load - other.load) < DEAD_BAND;
    }
  }

  void update(PoolCounts counts, long nowNanos) {
    // the effective load, as admission weighs it: idle processes kept for jobs it would turn
    // away are only memory and CPU taken from the jobs that run
    Inputs inputs = new Inputs(admission.status(), admission.effectiveLoad(), admission.jobsInLoad(counts.running()));
    if (!inputs.near(lastInputs)) {
      lastInputs = inputs;
      wantedIdle = ScalingPolicy.targetIdle(inputs.status(), inputs.load(), admission.threshold(), inputs.activeJobs(),
        maxIdle);
    }
    if (inputs.status() == WorkerStatus.DRAINING) {
      damping.reset();
      targetIdle = 0;
      keepIdle = 0;
      return;
    }
    switch (policy) {
      case SCALED -> scaled(inputs.status(), counts, nowNanos);
      case FIXED -> {
        targetIdle = inputs.status() == WorkerStatus.AVAILABLE ? maxIdle : 0;
        keepIdle = maxIdle;
      }
      case SPAWN_ONLY -> {
        targetIdle = wantedIdle;
        keepIdle = keepAll;
      }
    }
  }

  /** Available or full: the load's target, damped. */
  private void scaled(WorkerStatus status, PoolCounts counts, long nowNanos) {
    if (status == WorkerStatus.AVAILABLE) {
      TargetDamping.Levels levels = damping.apply(wantedIdle, counts.returning(), nowNanos);
      targetIdle = levels.target();
      keepIdle = levels.keep();
    } else {
      // no idle child is spawned at full load, but those already warm are reaped only once
      // the window has passed, as after any other drop of the target: load swinging across
      // the threshold would otherwise reap and respawn them on every swing
      targetIdle = 0;
      keepIdle = damping.apply(0, counts.returning(), nowNanos).keep();
    }
  }

  int targetIdle() {
    return targetIdle;
  }

  /** The target the load asks for before damping. */
  int wantedIdle() {
    return wantedIdle;
  }

  int keepIdle() {
    return keepIdle;
  }

  IdlePolicy policy() {
    return policy;
  }

  long scaleDownWindowMs() {
    return damping.windowMs();
  }

  void spawnedForTarget(long nowNanos) {
    damping.spawnedForTarget(nowNanos);
  }

  void surplusReaped(long nowNanos) {
    damping.surplusReaped(nowNanos);
  }
}
