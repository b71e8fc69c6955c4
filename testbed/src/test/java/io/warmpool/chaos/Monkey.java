package io.warmpool.chaos;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The chaos monkey: every {@code pace} it injects one fault, taken from a shuffled bag of every
 * kind so that each kind is injected about as often. Signals go to real children of this JVM
 * (the Java children of the main worker, picked idle or running); the job faults are submitted
 * like any job. A kind with no target at the moment (no idle child old enough, no running job)
 * is put back and the next one is tried.
 */
final class Monkey {

  /** A child younger than this may still be initialising: signalling it would be an init failure, another story. */
  static final Duration MIN_IDLE_AGE = Duration.ofSeconds(6);
  static final long HANG_TIMEOUT_MS = 2000;
  static final int ALLOC_MB_OVER_LIMIT = 200;

  private static final String JAVA_CHILD_MAIN = "io.warmpool.child.ChildMain";

  private final ChaosWorker javaWorker;
  private final ChaosWorker pythonWorker;
  private final JobLedger ledger;
  private final Random random;
  private final Duration pace;
  private final List<Fault> bag = new ArrayList<>();
  private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
  private int sequence;

  Monkey(ChaosWorker javaWorker, ChaosWorker pythonWorker, JobLedger ledger, Random random, Duration pace) {
    this.javaWorker = javaWorker;
    this.pythonWorker = pythonWorker;
    this.ledger = ledger;
    this.random = random;
    this.pace = pace;
  }

  /** Injects faults until {@code deadlineNanos}; returns how many of each kind (signals as aimed, see {@link ChaosReport}). */
  Map<Fault, Integer> run(long deadlineNanos) throws Exception {
    while (System.nanoTime() < deadlineNanos) {
      // pacing of the faults, not a wait for an outcome
      Thread.sleep(pace.toMillis() / 2 + random.nextInt((int) pace.toMillis()));
      injectOne();
    }
    return injected;
  }

  private void injectOne() throws Exception {
    if (bag.isEmpty()) {
      Collections.addAll(bag, Fault.values());
      Collections.shuffle(bag, random);
    }
    for (int i = 0; i < bag.size(); i++) {
      Fault fault = bag.get(i);
      if (inject(fault)) {
        bag.remove(i);
        injected.merge(fault, 1, Integer::sum);
        return;
      }
    }
  }

  /** False when the fault has no target now. */
  private boolean inject(Fault fault) throws Exception {
    return switch (fault) {
      case KILL_IDLE, STOP_IDLE -> signal(fault, idleJavaChild());
      case KILL_RUNNING, STOP_RUNNING -> signal(fault, runningJavaChild());
      case CRASH_JOB -> submit(javaWorker, fault, new JsonObject().put("op", "crash").put("code", 3 + random.nextInt(7)), 0);
      case ALLOC_JOB -> submit(javaWorker, fault, new JsonObject().put("op", "alloc")
        .put("mb", javaWorker.config.pool().memoryLimitMb() + ALLOC_MB_OVER_LIMIT).put("ms", 20_000), 0);
      case HANG_JOB -> submit(javaWorker, fault, new JsonObject().put("op", "hang"), HANG_TIMEOUT_MS);
      case GARBAGE_JOB -> submit(pythonWorker, fault, new JsonObject().put("op", "garbage")
        .put("kind", ChaosChild.GARBAGE_KINDS.get(random.nextInt(ChaosChild.GARBAGE_KINDS.size()))), 0);
    };
  }

  private boolean submit(ChaosWorker worker, Fault fault, JsonObject payload, long timeoutMs) throws Exception {
    String id = worker.name + "-fault-" + (++sequence);
    ledger.submitted(id, worker.name, fault, payload.getString("op"));
    JsonObject reply = worker.submit(id, payload, timeoutMs);
    ledger.answered(id, reply);
    return "accepted".equals(reply.getString("type"));
  }

  /**
   * A child that is warm and has no job: one that ran a job and runs none now, or one old
   * enough to be past its initialisation.
   */
  private ProcessHandle idleJavaChild() {
    Set<Long> running = ledger.runningPids(javaWorker.name);
    Set<Long> used = ledger.usedPids(javaWorker.name);
    Instant oldEnough = Instant.now().minus(MIN_IDLE_AGE);
    List<ProcessHandle> idle = javaChildren().stream()
      .filter(p -> !running.contains(p.pid()) && !ledger.wasHit(p.pid()))
      .filter(p -> used.contains(p.pid()) || p.info().startInstant().map(start -> start.isBefore(oldEnough)).orElse(false))
      .toList();
    return idle.isEmpty() ? null : idle.get(random.nextInt(idle.size()));
  }

  /** The child of a steady sleep job that has run a moment, so the signal lands while it runs. */
  private ProcessHandle runningJavaChild() {
    List<JobLedger.Entry> jobs = ledger.runningSteadyJobs(javaWorker.name, "sleep");
    List<ProcessHandle> children = jobs.stream()
      .filter(job -> !ledger.wasHit(job.pid))
      .map(job -> ProcessHandle.of(job.pid).filter(ProcessHandle::isAlive).orElse(null))
      .filter(p -> p != null)
      .toList();
    return children.isEmpty() ? null : children.get(random.nextInt(children.size()));
  }

  private boolean signal(Fault fault, ProcessHandle child) throws IOException, InterruptedException {
    if (child == null) {
      return false;
    }
    JobLedger.Hit hit = ledger.hit(fault, child.pid());
    boolean sent;
    if (fault == Fault.KILL_IDLE || fault == Fault.KILL_RUNNING) {
      sent = child.destroyForcibly();
    } else {
      Process kill = new ProcessBuilder("kill", "-STOP", Long.toString(child.pid())).redirectErrorStream(true).start();
      sent = kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
      kill.destroyForcibly();
    }
    if (sent) {
      ledger.landed(hit);
    } else {
      ledger.retract(hit);
    }
    return sent;
  }

  /** The Java children of this JVM (the Python ones and the monkey's own kill commands left out). */
  static List<ProcessHandle> javaChildren() {
    return ProcessHandle.current().children()
      .filter(ProcessHandle::isAlive)
      .filter(p -> commandLine(p).contains(JAVA_CHILD_MAIN))
      .toList();
  }

  /**
   * The process's arguments from /proc: {@code ProcessHandle.Info.arguments()} is empty for the
   * Java children here (the JDK leaves it out when the executable path and argv[0] differ).
   */
  static String commandLine(ProcessHandle process) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
        StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }
}
