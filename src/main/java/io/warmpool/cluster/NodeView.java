package io.warmpool.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One node's view of every node of the cluster, itself included: the latest state each published,
 * when it arrived, and how many jobs this node has sent it since. Pure: the caller gives the time
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

  private final String selfId;
  private final long staleNanos;
  private final Map<String, Node> nodes = new TreeMap<>();
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
    return nodes.put(state.nodeId(), new Node(state, nowNanos, 0)) == null;
  }

  /** The node's state still holds now (this node's own state when its pool has not changed). */
  void touch(String nodeId, long nowNanos) {
    Node node = nodes.get(nodeId);
    if (node != null) {
      nodes.put(nodeId, new Node(node.state(), nowNanos, node.sentSince()));
    }
  }

  /** A job was sent to the node: counted until its next state. */
  void sent(String nodeId) {
    Node node = nodes.get(nodeId);
    if (node != null) {
      nodes.put(nodeId, new Node(node.state(), node.receivedNanos(), node.sentSince() + 1));
    }
  }

  /** The cluster manager says the node left. True if it was in the view. */
  boolean left(String nodeId) {
    departed.add(nodeId);
    if (departed.size() > DEPARTED_KEPT) {
      departed.remove(departed.iterator().next());
    }
    return nodes.remove(nodeId) != null;
  }

  /** Drops the other nodes whose latest state is older than the bound; returns their ids. */
  List<String> expire(long nowNanos) {
    List<String> expired = new ArrayList<>();
    nodes.values().removeIf(node -> {
      boolean stale = !node.id().equals(selfId) && nowNanos - node.receivedNanos() > staleNanos;
      if (stale) {
        expired.add(node.id());
      }
      return stale;
    });
    return expired;
  }

  /** The nodes whose state is within the staleness bound, by id. */
  List<Node> nodes(long nowNanos) {
    return nodes.values().stream().filter(node -> nowNanos - node.receivedNanos() <= staleNanos).toList();
  }

  Node get(String nodeId) {
    return nodes.get(nodeId);
  }

  Node self() {
    return nodes.get(selfId);
  }

  boolean hasLeft(String nodeId) {
    return departed.contains(nodeId);
  }

  /** Every node with its age, this one first: the {@code nodes} of the {@code cluster} view. */
  JsonArray toJson(long nowNanos) {
    JsonArray array = new JsonArray();
    Collection<Node> all = nodes.values();
    all.stream().filter(node -> node.id().equals(selfId)).forEach(node -> array.add(json(node, nowNanos)));
    all.stream().filter(node -> !node.id().equals(selfId)).forEach(node -> array.add(json(node, nowNanos)));
    return array;
  }

  private JsonObject json(Node node, long nowNanos) {
    return node.state().toJson().put("ageMs", node.ageMs(nowNanos)).put("self", node.id().equals(selfId));
  }
}
