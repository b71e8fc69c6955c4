package io.warmpool.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One node's view of every node of the cluster, itself included: the latest state each published,
 * when it arrived, and the jobs this node has sent it since (those still running: a job that
 * ended or was turned down no longer counts). Pure: the caller gives the time
 * (any monotonic nanosecond clock), so it is tested without a cluster.
 *
 * <p>A node leaves the view when the cluster manager says it left (for good: a late message from
 * it does not bring it back; a restarted node has a new id) or when its latest state is older
 * than the staleness bound (until it publishes again).
 */
final class NodeView {

  /** Node ids that left, remembered so that a state still in flight from one is ignored. */
  static final int DEPARTED_KEPT = 1024;

  /**
   * @param sentSince jobs this node sent it since that state: what the state cannot show yet
   */
  record Node(NodeState state, long receivedNanos, int sentSince) {

    long ageMs(long nowNanos) {
      return Math.max(0, (nowNanos - receivedNanos) / 1_000_000);
    }

    String id() {
      return state.nodeId();
    }

    /** Warm processes left for further jobs, counting those already sent its way. */
    int idleLeft() {
      return Math.max(0, state.idle() - sentSince);
    }
  }

  private record Entry(NodeState state, long receivedNanos) {
  }

  private final String selfId;
  private final long staleNanos;
  private final Map<String, Entry> nodes = new TreeMap<>();
  /** Jobs sent to each node since its latest state and not ended yet. */
  private final Map<String, Set<String>> sentTo = new HashMap<>();
  private final Map<String, String> nodeOfSent = new HashMap<>();
  private final LinkedHashSet<String> departed = new LinkedHashSet<>();

  NodeView(String selfId, long staleAfterMs) {
    this.selfId = selfId;
    this.staleNanos = staleAfterMs * 1_000_000;
  }

  String selfId() {
    return selfId;
  }

  /**
   * A state a node published (or this node's own, fresh from its pool).
   *
   * @return true when the node was not in the view (a newcomer, or back after being stale)
   */
  boolean update(NodeState state, long nowNanos) {
    if (departed.contains(state.nodeId())) {
      return false;
    }
    forgetSent(state.nodeId());
    return nodes.put(state.nodeId(), new Entry(state, nowNanos)) == null;
  }

  /**
   * The node's state still holds now, and shows every job sent before (this node's own state
   * when its pool has not changed since: a quick job can start and end between two states).
   */
  void touch(String nodeId, long nowNanos) {
    Entry entry = nodes.get(nodeId);
    if (entry != null) {
      forgetSent(nodeId);
      nodes.put(nodeId, new Entry(entry.state(), nowNanos));
    }
  }

  /** A job was sent to the node: counted until its next state, or until the job ends or is turned down. */
  void sent(String nodeId, String jobId) {
    if (nodes.containsKey(nodeId)) {
      sentTo.computeIfAbsent(nodeId, id -> new HashSet<>()).add(jobId);
      nodeOfSent.put(jobId, nodeId);
    }
  }

  /** The job ended, or its node turned it down: it weighs on no node any more. */
  void done(String jobId) {
    String nodeId = nodeOfSent.remove(jobId);
    if (nodeId != null) {
      sentTo.get(nodeId).remove(jobId);
    }
  }

  private void forgetSent(String nodeId) {
    Set<String> jobs = sentTo.remove(nodeId);
    if (jobs != null) {
      jobs.forEach(nodeOfSent::remove);
    }
  }

  /** The cluster manager says the node left. True if it was in the view. */
  boolean left(String nodeId) {
    departed.add(nodeId);
    if (departed.size() > DEPARTED_KEPT) {
      departed.remove(departed.iterator().next());
    }
    forgetSent(nodeId);
    return nodes.remove(nodeId) != null;
  }

  /** Drops the other nodes whose latest state is older than the bound; returns their ids. */
  List<String> expire(long nowNanos) {
    List<String> expired = new ArrayList<>();
    nodes.values().removeIf(entry -> {
      String id = entry.state().nodeId();
      boolean stale = !id.equals(selfId) && nowNanos - entry.receivedNanos() > staleNanos;
      if (stale) {
        expired.add(id);
      }
      return stale;
    });
    expired.forEach(this::forgetSent);
    return expired;
  }

  /** The nodes whose state is within the staleness bound, by id. */
  List<Node> nodes(long nowNanos) {
    return nodes.values().stream().filter(entry -> nowNanos - entry.receivedNanos() <= staleNanos).map(this::node).toList();
  }

  Node get(String nodeId) {
    Entry entry = nodes.get(nodeId);
    return entry == null ? null : node(entry);
  }

  Node self() {
    return get(selfId);
  }

  private Node node(Entry entry) {
    Set<String> sent = sentTo.get(entry.state().nodeId());
    return new Node(entry.state(), entry.receivedNanos(), sent == null ? 0 : sent.size());
  }

  boolean hasLeft(String nodeId) {
    return departed.contains(nodeId);
  }

  /** Every node with its age, this one first: the {@code nodes} of the {@code cluster} view. */
  JsonArray toJson(long nowNanos) {
    JsonArray array = new JsonArray();
    Collection<Node> all = nodes.values().stream().map(this::node).toList();
    all.stream().filter(node -> node.id().equals(selfId)).forEach(node -> array.add(json(node, nowNanos)));
    all.stream().filter(node -> !node.id().equals(selfId)).forEach(node -> array.add(json(node, nowNanos)));
    return array;
  }

  private JsonObject json(Node node, long nowNanos) {
    return node.state().toJson().put("ageMs", node.ageMs(nowNanos)).put("self", node.id().equals(selfId));
  }
}
