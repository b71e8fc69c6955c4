package io.warmpool.cluster;

import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.WorkerStatus;

/**
 * What a node tells the cluster about itself on {@code <prefix>.cluster.nodes}: enough for every
 * other node to decide whether to send it a job.
 *
 * @param url           the node's HTTP base URL, or {@code null} when it has no web verticle
 * @param status        {@code available}, {@code full} or {@code draining}
 * @param load          the averaged load, 0..1
 * @param effectiveLoad the load counting jobs accepted since the last sample (what admission uses)
 * @param threshold     the node's {@code load.threshold}
 * @param idle          warm idle processes
 * @param capacity      processes it may still start ({@code pool.maxProcesses} − processes)
 * @param activeJobs    jobs running or waiting for a process
 * @param degraded      its processes fail to start (the pool's {@code degraded}): jobs sent there would fail
 */
record NodeState(String nodeId, String url, String status, double load, double effectiveLoad, double threshold,
                 int idle, int capacity, int activeJobs, boolean degraded) {

  /** The node state of a pool state (the {@code state} frame or the {@code GET /worker} body). */
  static NodeState fromPoolState(String nodeId, String url, JsonObject state) {
    JsonObject pool = state.getJsonObject("pool", new JsonObject());
    int processes = pool.getInteger("processes", 0);
    int maxProcesses = pool.getInteger("maxProcesses", processes);
    double load = state.getDouble("load", 0.0);
    return new NodeState(nodeId, url, state.getString("status", WorkerStatus.AVAILABLE.wireName()), load,
      state.getDouble("effectiveLoad", load), state.getDouble("threshold", 1.0), pool.getInteger("idle", 0),
      Math.max(0, maxProcesses - processes), state.getInteger("activeJobs", 0), state.getBoolean("degraded", false));
  }

  /**
   * Reads a message of {@code <prefix>.cluster.nodes}.
   *
   * @throws IllegalArgumentException when it is not a node state
   */
  static NodeState fromJson(JsonObject json) {
    try {
      NodeState state = new NodeState(json.getString("nodeId"), json.getString("url"), json.getString("status"),
        json.getDouble("load"), json.getDouble("effectiveLoad"), json.getDouble("threshold"),
        json.getInteger("idle"), json.getInteger("capacity"), json.getInteger("activeJobs"),
        // absent from a node of an older version: it never said so
        json.getBoolean("degraded", false));
      if (state.nodeId == null || state.status == null) {
        throw new IllegalArgumentException("nodeId and status are required");
      }
      return state;
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("not a node state: " + json, e);
    }
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("nodeId", nodeId)
      .put("url", url)
      .put("status", status)
      .put("load", load)
      .put("effectiveLoad", effectiveLoad)
      .put("threshold", threshold)
      .put("idle", idle)
      .put("capacity", capacity)
      .put("activeJobs", activeJobs)
      .put("degraded", degraded);
  }

  /** It takes jobs: status {@code available} and its effective load under its threshold. */
  boolean available() {
    return WorkerStatus.AVAILABLE.wireName().equals(status) && effectiveLoad < threshold;
  }

  boolean draining() {
    return WorkerStatus.DRAINING.wireName().equals(status);
  }
}
