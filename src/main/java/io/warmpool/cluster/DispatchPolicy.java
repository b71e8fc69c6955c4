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
 * <p>A degraded node (its processes fail to start) is skipped: a job sent there would be
 * turned away or fail {@code init-failed}. It sits near load 0 and would otherwise rank first.
 *
 * <ol>
 *   <li>This node, when it is available, not degraded and has a warm idle process left: no hop.</li>
 *   <li>Then every available node not degraded (this one included) by headroom: lowest effective
 *       load first (in steps of {@link #LOAD_STEP}, so that noise in a measured load does not
 *       decide alone), then most idle processes left, then fewest active jobs, then most capacity
 *       to start processes, then this node before a remote one, then by id (a stable order).</li>
 *   <li>None, and this node is degraded (not draining): this node alone, so that its pool
 *       answers, with its own reason and last error (or a warm process it still has).</li>
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
    if (self != null && takesJobs(self) && self.idleLeft() > 0) {
      order.add(selfId);
    }
    nodes.stream()
      .filter(DispatchPolicy::takesJobs)
      .sorted(headroom(selfId))
      .map(Node::id)
      .filter(id -> !order.contains(id))
      .forEach(order::add);
    if (order.isEmpty() && self != null && self.state().degraded() && !self.state().draining()) {
      order.add(selfId);
    }
    return order;
  }

  private static boolean takesJobs(Node node) {
    return node.state().available() && !node.state().degraded();
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
