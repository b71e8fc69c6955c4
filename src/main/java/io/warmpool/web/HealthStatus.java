package io.warmpool.web;

import io.vertx.core.json.JsonObject;
import io.warmpool.bus.WorkerStatus;

import java.util.List;

/**
 * The status {@code GET /health} answers for a state of the pool: its {@code status}, except
 * that a serving pool ({@code available} or {@code full}) whose processes fail to start is
 * {@code degraded}. The same word goes to Prometheus as {@code warmpool_status{status}}.
 */
final class HealthStatus {

  static final String DEGRADED = "degraded";
  /** Every status {@link #of} can answer. */
  static final List<String> ALL = List.of(WorkerStatus.AVAILABLE.wireName(), WorkerStatus.FULL.wireName(),
    WorkerStatus.DRAINING.wireName(), DEGRADED);

  static String of(JsonObject state) {
    String status = state.getString("status");
    return healthy(status) && state.getBoolean("degraded", false) ? DEGRADED : status;
  }

  /** Whether a load balancer should route to a worker with this status (200 rather than 503). */
  static boolean healthy(String status) {
    return WorkerStatus.AVAILABLE.wireName().equals(status) || WorkerStatus.FULL.wireName().equals(status);
  }

  private HealthStatus() {
  }
}
