package io.warmpool.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs this node forwarded to other nodes, from the moment they are sent until their
 * terminal event: when a node leaves, its jobs are the ones to end with {@code node-lost}.
 * Tracking starts before the forward is answered, so that a job whose events overtake the
 * answer is never left behind. Pure; used on the dispatcher's event loop.
 */
final class ForwardedJobs {

  private static final class Entry {
    final String nodeId;
    boolean accepted;
    /** Its node left before the answer came: if the answer is "accepted", the job is lost. */
    boolean orphaned;

    Entry(String nodeId) {
      this.nodeId = nodeId;
    }
  }

  private final Map<String, Entry> jobs = new HashMap<>();

  /** The job is being sent to the node. */
  void forwarding(String jobId, String nodeId) {
    jobs.put(jobId, new Entry(nodeId));
  }

  /**
   * The node accepted the job.
   *
   * @return true when the node has left meanwhile: the job is lost and forgotten here, and the
   *         caller ends it with {@code node-lost}
   */
  boolean accepted(String jobId) {
    Entry entry = jobs.get(jobId);
    if (entry == null) {
      return false; // its terminal event came first
    }
    if (entry.orphaned) {
      jobs.remove(jobId);
      return true;
    }
    entry.accepted = true;
    return false;
  }

  /** The node turned the job down, or never answered: nothing runs there. */
  void notAccepted(String jobId) {
    jobs.remove(jobId);
  }

  /** The job's terminal event was seen. */
  void ended(String jobId) {
    jobs.remove(jobId);
  }

  /** The node running the job, or {@code null} when it is not a forwarded job still running. */
  String nodeOf(String jobId) {
    Entry entry = jobs.get(jobId);
    return entry == null ? null : entry.nodeId;
  }

  boolean contains(String jobId) {
    return jobs.containsKey(jobId);
  }

  /**
   * The node left the cluster. Returns its accepted jobs, now forgotten (each gets its one
   * {@code node-lost}); those still waiting for the node's answer are marked, see {@link #accepted}.
   */
  List<String> nodeLeft(String nodeId) {
    List<String> lost = new ArrayList<>();
    jobs.entrySet().removeIf(e -> {
      Entry entry = e.getValue();
      if (!entry.nodeId.equals(nodeId)) {
        return false;
      }
      if (entry.accepted) {
        lost.add(e.getKey());
        return true;
      }
      entry.orphaned = true;
      return false;
    });
    return lost;
  }

  int size() {
    return jobs.size();
  }
}
