package io.warmpool.cluster;

import io.warmpool.cluster.NodeView.Node;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Where a job submitted at this node goes (pure, table-tested). The answer is the list of nodes
 * to try, best first; the dispatcher tries the next when one turns the job down (its state had
 * changed since it was published). Empty: no node is available, the job is rejected {@code full}.
 *
 * <ol>
 *   <li>This node, when it is available and has a warm idle process left: no hop.</li>
 *   <li>Then every available node (this one included) by headroom: lowest effective load first
 *       (in steps of {@link #LOAD_STEP}, so that noise in a measured load does not decide alone),
 *       then most idle processes left, then fewest active jobs, then most capacity to start
 *       processes, then this node before a remote one, then by id (a stable order).</li>
 * </ol>
 *
 * <p>Idle processes and active jobs count the jobs already sent to a node since its last state
 * ({@link Node#sentSince()}): a burst of submissions between two states spreads over the nodes
 * instead of piling on the one that looked best.
 */
final class DispatchPolicy {

  /** Effective loads closer than this compare equal. */
  static final double LOAD_STEP = 0.01;

  static List<String> candidates(String selfId, Collection<Node> nodes) {
    List<String> order = new ArrayList<>();
    Node self = nodes.stream().filter(node -> node.id().equals(selfId)).findFirst().orElse(null);
    if (self != null && self.state().available() && self.idleLeft() > 0) {
      order.add(selfId);
    }
    nodes.stream()
      .filter(node -> node.state().available())
      .sorted(headroom(selfId))
      .map(Node::id)
      .filter(id -> !order.contains(id))
      .forEach(order::add);
    return order;
  }

  static Comparator<Node> headroom(String selfId) {
    return Comparator.<Node>comparingLong(node -> Math.round(node.state().effectiveLoad() / LOAD_STEP))
      .thenComparing(Comparator.comparingInt(Node::idleLeft).reversed())
      .thenComparingInt(node -> node.state().activeJobs() + node.sentSince())
      .thenComparing(Comparator.<Node>comparingInt(node -> node.state().capacity() - node.sentSince()).reversed())
      .thenComparing(node -> !node.id().equals(selfId))
      .thenComparing(Node::id);
  }

  private DispatchPolicy() {
  }
}
