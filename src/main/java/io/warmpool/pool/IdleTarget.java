package io.warmpool.pool;

import io.warmpool.pool.policy.Admission;
import io.warmpool.pool.policy.ScalingPolicy;
import io.warmpool.pool.policy.TargetDamping;
import io.warmpool.bus.WorkerStatus;
import io.warmpool.config.WorkerConfig;

/**
 * How many idle children the pool aims for, and how many it keeps: the load's target
 * ({@link ScalingPolicy#targetIdle}) damped over the scale-down window ({@link TargetDamping}).
 * The arbiter spawns up to {@link #targetIdle()} and reaps only above {@link #keepIdle()}.
 */
final class IdleTarget {

  private final Admission admission;
  private final int maxIdle;
  private final TargetDamping damping;

  private int targetIdle;
  private int wantedIdle;
  /** Idle children not reaped as surplus ({@link TargetDamping.Levels#keep()}). */
  private int keepIdle;
  private Inputs lastInputs;

  IdleTarget(WorkerConfig.Pool config, Admission admission) {
    this.admission = admission;
    this.maxIdle = config.maxIdle();
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
    Inputs inputs = new Inputs(admission.status(), admission.load(), admission.jobsInLoad(counts.running()));
    if (!inputs.near(lastInputs)) {
      lastInputs = inputs;
      wantedIdle = ScalingPolicy.targetIdle(inputs.status(), inputs.load(), admission.threshold(), inputs.activeJobs(),
        maxIdle);
    }
    switch (inputs.status()) {
      case AVAILABLE -> {
        TargetDamping.Levels levels = damping.apply(wantedIdle, counts.returning(), nowNanos);
        targetIdle = levels.target();
        keepIdle = levels.keep();
      }
      case FULL -> {
        // no idle child is spawned at full load, but those already warm are reaped only once
        // the window has passed, as after any other drop of the target: load swinging across
        // the threshold would otherwise reap and respawn them on every swing
        targetIdle = 0;
        keepIdle = damping.apply(0, counts.returning(), nowNanos).keep();
      }
      case DRAINING -> {
        damping.reset();
        targetIdle = 0;
        keepIdle = 0;
      }
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
