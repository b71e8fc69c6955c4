package io.warmpool.chaos;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Random;

/**
 * The steady job load the faults land in: well-behaved jobs (echo, sleep, burn on the Java
 * worker; echo and sleep on the Python one), submitted every {@code pace} while fewer than a
 * cap are in flight, so the run stresses the pool's failure handling, not the machine.
 */
final class SteadyLoad {

  static final int JAVA_IN_FLIGHT = 4;
  static final int PYTHON_IN_FLIGHT = 1;
  /** What one job weighs in the load samples the run publishes: 8 jobs stay well under the threshold. */
  static final double LOAD_PER_JOB = 0.06;

  private final ChaosWorker javaWorker;
  private final ChaosWorker pythonWorker;
  private final JobLedger ledger;
  private final Random random;
  private final Duration pace;
  private int sequence;

  SteadyLoad(ChaosWorker javaWorker, ChaosWorker pythonWorker, JobLedger ledger, Random random, Duration pace) {
    this.javaWorker = javaWorker;
    this.pythonWorker = pythonWorker;
    this.ledger = ledger;
    this.random = random;
    this.pace = pace;
  }

  void run(long deadlineNanos) throws Exception {
    int tick = 0;
    while (System.nanoTime() < deadlineNanos) {
      if (ledger.inFlight(javaWorker.name, true) < JAVA_IN_FLIGHT) {
        submit(javaWorker, javaJob());
      }
      if (tick++ % 4 == 0 && ledger.inFlight(pythonWorker.name, true) < PYTHON_IN_FLIGHT) {
        submit(pythonWorker, random.nextBoolean()
          ? new JsonObject().put("op", "echo").put("value", tick)
          : new JsonObject().put("op", "sleep").put("ms", 100 + random.nextInt(400)));
      }
      // pacing of the submissions, not a wait for an outcome
      Thread.sleep(pace.toMillis());
    }
  }

  /** The load sample for the Java worker now: its jobs in flight, each {@link #LOAD_PER_JOB}. */
  double javaLoad() {
    return Math.min(0.6, ledger.inFlight(javaWorker.name, false) * LOAD_PER_JOB);
  }

  private JsonObject javaJob() {
    int dice = random.nextInt(10);
    if (dice < 3) {
      return new JsonObject().put("op", "echo").put("value", "steady");
    }
    if (dice < 8) {
      return new JsonObject().put("op", "sleep").put("ms", 200 + random.nextInt(1000));
    }
    return new JsonObject().put("op", "burn").put("ms", 50 + random.nextInt(150));
  }

  private void submit(ChaosWorker worker, JsonObject payload) throws Exception {
    String id = worker.name + "-" + (++sequence);
    ledger.submitted(id, worker.name, null, payload.getString("op"));
    ledger.answered(id, worker.submit(id, payload, 0));
  }
}
