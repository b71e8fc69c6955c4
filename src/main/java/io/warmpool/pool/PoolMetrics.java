package io.warmpool.pool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.warmpool.metrics.OwnedMeters;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pool's Prometheus series: {@code warmpool_processes{state}}, {@code warmpool_target_idle},
 * {@code warmpool_load}, {@code warmpool_jobs_total{outcome}}, the histogram
 * {@code warmpool_job_start_seconds} (accepted → started), and for outside autoscalers
 * {@code warmpool_utilization}, {@code warmpool_max_processes_reached_total},
 * {@code warmpool_spawns_total{cause}} and {@code warmpool_reaps_total{cause}}; for the cost of
 * the idle pool, {@code warmpool_spawn_cpu_seconds_total}, {@code warmpool_spawns_wasted_total{cause}}
 * and {@code warmpool_spawns_wasted_cpu_seconds_total}; each with the
 * {@code pool} tag, the pool's {@code bus.prefix}.
 *
 * <p>Gauges read the last published state snapshot, never the pool's live structures: a scrape
 * runs on another thread than the pool's event loop.
 */
final class PoolMetrics {

  private final AtomicReference<JsonObject> state = new AtomicReference<>(new JsonObject());
  private final Timer startLatency;
  private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
  private final Map<SpawnCause, Counter> spawns = new EnumMap<>(SpawnCause.class);
  private final Map<ExitCause, Counter> exits = new EnumMap<>(ExitCause.class);
  private final Counter maxProcessesReached;
  private final Counter spawnCpu;
  private final Map<ExitCause, Counter> wasted = new EnumMap<>(ExitCause.class);
  private final Counter wastedCpu;
  private final Counter jobEventsDropped;
  private final Map<JobRegistry.DropCause, Counter> jobRecordsDropped = new EnumMap<>(JobRegistry.DropCause.class);
  private final MeterRegistry registry;
  private final Tags poolTag;
  /** What this one registered, removed again by {@link #close()}. */
  private final OwnedMeters meters;

  enum Outcome { COMPLETED, FAILED, CANCELLED }

  /**
   * @param pool the pool's name ({@code bus.prefix}), its series' {@code pool} tag: pools that
   *             share a registry keep their series apart
   */
  PoolMetrics(MeterRegistry registry, String pool) {
    this.registry = registry;
    this.meters = new OwnedMeters(registry);
    this.poolTag = Tags.of("pool", pool);
    for (String processState : new String[] {"idle", "initializing", "running", "exiting"}) {
      meters.own(Gauge.builder("warmpool.processes", state, s -> poolValue(s.get(), processState))
        .description("Pooled processes by state")
        .tag("state", processState)
        .tags(poolTag)
        .register(registry));
    }
    meters.own(Gauge.builder("warmpool.target.idle", state, s -> poolValue(s.get(), "targetIdle"))
      .description("Idle processes the pool aims to keep warm")
      .tags(poolTag)
      .register(registry));
    meters.own(Gauge.builder("warmpool.load", state, s -> s.get().getDouble("load", 0.0))
      .description("Averaged load, 0..1")
      .tags(poolTag)
      .register(registry));
    meters.own(Gauge.builder("warmpool.jobs.active", state, s -> s.get().getInteger("activeJobs", 0))
      .description("Jobs accepted and not ended")
      .tags(poolTag)
      .register(registry));
    meters.own(Gauge.builder("warmpool.jobs.waiting", state, s -> s.get().getInteger("waitingJobs", 0))
      .description("Jobs accepted that wait for a process")
      .tags(poolTag)
      .register(registry));
    startLatency = meters.own(Timer.builder("warmpool.job.start")
      .description("Time from a job's acceptance to its process reporting it started")
      .publishPercentileHistogram()
      .minimumExpectedValue(Duration.ofNanos(100_000))
      .maximumExpectedValue(Duration.ofSeconds(30))
      .tags(poolTag)
      .register(registry));
    meters.own(Gauge.builder("warmpool.utilization", state, s -> utilization(s.get()))
      .description("Busy share of the warm pool: running / (running + idle); for outside autoscalers")
      .tags(poolTag)
      .register(registry));
    maxProcessesReached = meters.own(Counter.builder("warmpool.max.processes.reached")
      .description("Times the pool wanted another process but pool.maxProcesses were alive")
      .tags(poolTag)
      .register(registry));
    spawnCpu = meters.own(Counter.builder("warmpool.spawn.cpu")
      .description("CPU seconds pooled processes used to become ready")
      .baseUnit("seconds")
      .tags(poolTag)
      .register(registry));
    wastedCpu = meters.own(Counter.builder("warmpool.spawns.wasted.cpu")
      .description("CPU seconds the starts of wasted spawns took")
      .baseUnit("seconds")
      .tags(poolTag)
      .register(registry));
    // served at 0 from the start: a rate over a counter that appears at 1 misses that first one
    wasted(ExitCause.SURPLUS);
    for (SpawnCause cause : SpawnCause.values()) {
      spawned(cause);
    }
    for (ExitCause cause : ExitCause.values()) {
      exited(cause);
    }
    jobEventsDropped = meters.own(Counter.builder("warmpool.job.events.dropped")
      .description("Events of jobs no longer kept for clients that come back (job.maxEventsKept, job.maxEventsKeptKb)")
      .tags(poolTag)
      .register(registry));
    for (JobRegistry.DropCause cause : JobRegistry.DropCause.values()) {
      jobRecordsDropped.put(cause, meters.own(Counter.builder("warmpool.job.records.dropped")
        .description("Records of ended jobs dropped, by cause: age (job.retainMs), count (job.maxRecords), bytes (job.maxRecordsMb)")
        .tag("cause", cause.name().toLowerCase())
        .tags(poolTag)
        .register(registry)));
    }
    for (Outcome outcome : Outcome.values()) {
      outcomes.put(outcome, meters.own(Counter.builder("warmpool.jobs")
        .description("Jobs ended, by outcome")
        .tag("outcome", outcome.name().toLowerCase())
        .tags(poolTag)
        .register(registry)));
    }
  }

  void jobEventsDropped(int count) {
    jobEventsDropped.increment(count);
  }

  void jobRecordDropped(JobRegistry.DropCause cause) {
    jobRecordsDropped.get(cause).increment();
  }

  private static double utilization(JsonObject state) {
    double running = poolValue(state, "running");
    double idle = poolValue(state, "idle");
    return running + idle == 0 ? 0 : running / (running + idle);
  }

  private static double poolValue(JsonObject state, String key) {
    JsonObject pool = state.getJsonObject("pool");
    return pool == null ? 0 : pool.getInteger(key, 0);
  }

  void state(JsonObject snapshot) {
    state.set(snapshot);
  }

  void jobStarted(Job job) {
    startLatency.record(job.startedNanos() - job.acceptedNanos, TimeUnit.NANOSECONDS);
  }

  void jobEnded(String event) {
    outcomes.get(Outcome.valueOf(event.toUpperCase())).increment();
  }

  void processSpawned(SpawnCause cause) {
    spawned(cause).increment();
  }

  private Counter spawned(SpawnCause cause) {
    return spawns.computeIfAbsent(cause, c -> meters.own(Counter.builder("warmpool.spawns")
      .description("Processes started, by cause: demand (a job waited), target (the idle target) or probe (degraded)")
      .tag("cause", c.tag)
      .tags(poolTag)
      .register(registry)));
  }

  void processExited(ExitCause cause) {
    exited(cause).increment();
  }

  private Counter exited(ExitCause cause) {
    return exits.computeIfAbsent(cause, c -> meters.own(Counter.builder("warmpool.reaps")
      .description("Processes reaped, by cause")
      .tag("cause", c.tag)
      .tags(poolTag)
      .register(registry)));
  }

  void maxProcessesReached() {
    maxProcessesReached.increment();
  }

  void spawnCpu(double seconds) {
    spawnCpu.increment(seconds);
  }

  void spawnWasted(ExitCause cause, double cpuSeconds) {
    wasted(cause).increment();
    wastedCpu.increment(cpuSeconds);
  }

  private Counter wasted(ExitCause cause) {
    return wasted.computeIfAbsent(cause, c -> meters.own(Counter.builder("warmpool.spawns.wasted")
      .description("Processes started and closed without ever running a job, by why they were closed")
      .tag("cause", c.tag)
      .tags(poolTag)
      .register(registry)));
  }


  /** Removes this one's series from the registry ({@link OwnedMeters}). */
  void close() {
    meters.close();
  }
}
