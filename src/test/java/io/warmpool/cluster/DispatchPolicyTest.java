package io.warmpool.cluster;

import io.warmpool.cluster.NodeView.Node;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DispatchPolicyTest {

  private static Node node(String id, String status, double effectiveLoad, int idle, int activeJobs, int sent) {
    return new Node(new NodeState(id, null, status, effectiveLoad, effectiveLoad, 0.75, idle, 10, activeJobs, false), 0, sent);
  }

  /** A node whose processes fail to start: near load 0, nothing running, so it would rank first. */
  private static Node degraded(String id, String status, int idle) {
    return new Node(new NodeState(id, null, status, 0.0, 0.0, 0.75, idle, 10, 0, true), 0, 0);
  }

  private static Node node(String id, double effectiveLoad, int idle) {
    return node(id, "available", effectiveLoad, idle, 0, 0);
  }

  @Test
  void localFirstWhenAvailableWithAWarmProcess() {
    assertThat(DispatchPolicy.candidates("a", List.of(node("a", 0.5, 1), node("b", 0.1, 4))))
      .containsExactly("a", "b");
  }

  @Test
  void withoutAWarmProcessTheNodeWithMostHeadroomWins() {
    assertThat(DispatchPolicy.candidates("a", List.of(node("a", 0.5, 0), node("b", 0.3, 0), node("c", 0.1, 0))))
      .containsExactly("c", "b", "a");
    // the local node is a candidate like any other: with the most headroom, the job stays
    assertThat(DispatchPolicy.candidates("a", List.of(node("a", 0.1, 0), node("b", 0.3, 2))))
      .containsExactly("a", "b");
  }

  @Test
  void aFullLocalNodeForwards() {
    assertThat(DispatchPolicy.candidates("a", List.of(node("a", "full", 0.9, 2, 0, 0), node("b", 0.3, 1))))
      .containsExactly("b");
  }

  @Test
  void loadFirstThenIdleProcesses() {
    assertThat(DispatchPolicy.candidates("a", List.of(
      node("a", "full", 0.9, 0, 0, 0), node("b", 0.2, 1), node("c", 0.2, 3), node("d", 0.1, 0))))
      .containsExactly("d", "c", "b");
  }

  @Test
  void loadsWithinOneStepCompareEqual() {
    // 0.201 and 0.204 are the same 1 % step: the idle processes decide
    assertThat(DispatchPolicy.candidates("a", List.of(node("a", "full", 0.9, 0, 0, 0), node("b", 0.201, 1), node("c", 0.204, 3))))
      .containsExactly("c", "b");
  }

  @Test
  void fullDrainingAndOverThresholdNodesAreNeverCandidates() {
    assertThat(DispatchPolicy.candidates("a", List.of(
      node("a", "full", 0.9, 2, 0, 0), node("b", "draining", 0.0, 3, 0, 0), node("c", 0.75, 3))))
      .as("c's effective load is at its threshold").isEmpty();
  }

  @Test
  void equalNodesTieOnActiveJobsThenLocalThenId() {
    assertThat(DispatchPolicy.candidates("b", List.of(node("a", "available", 0.1, 0, 3, 0), node("b", "available", 0.1, 0, 3, 0),
      node("c", "available", 0.1, 0, 2, 0))))
      .containsExactly("c", "b", "a");
  }

  @Test
  void jobsSentSinceTheLastStateCount() {
    // a has 2 idle but 2 jobs were already sent its way: not warm any more
    assertThat(DispatchPolicy.candidates("a", List.of(node("a", "available", 0.1, 2, 0, 2), node("b", 0.1, 1))))
      .containsExactly("b", "a");
  }

  @Test
  void aBurstBetweenTwoStatesSpreadsOverEqualNodes() {
    Map<String, Node> nodes = new HashMap<>();
    for (String id : List.of("a", "b", "c")) {
      nodes.put(id, node(id, 0.1, 2));
    }
    Map<String, Integer> counts = new HashMap<>();
    List<String> firstSix = new ArrayList<>();
    for (int i = 0; i < 99; i++) {
      String chosen = DispatchPolicy.candidates("a", nodes.values()).get(0);
      if (i < 6) {
        firstSix.add(chosen);
      }
      counts.merge(chosen, 1, Integer::sum);
      Node n = nodes.get(chosen);
      nodes.put(chosen, new Node(n.state(), 0, n.sentSince() + 1));
    }
    assertThat(firstSix.subList(0, 2)).as("the local warm processes first").containsExactly("a", "a");
    assertThat(firstSix.subList(2, 6)).containsExactlyInAnyOrder("b", "b", "c", "c");
    assertThat(counts).containsEntry("a", 33).containsEntry("b", 33).containsEntry("c", 33);
  }

  @Test
  void aDegradedNodeIsSkippedThoughItHasTheMostHeadroom() {
    assertThat(DispatchPolicy.candidates("a", List.of(node("a", 0.5, 0), degraded("b", "available", 0), node("c", 0.3, 0))))
      .containsExactly("c", "a");
    // a warm process left does not make it a candidate: the healthy nodes come first, and only
    assertThat(DispatchPolicy.candidates("a", List.of(node("a", 0.5, 0), degraded("b", "available", 2))))
      .containsExactly("a");
  }

  @Test
  void aDegradedLocalNodeForwardsToAHealthyOne() {
    assertThat(DispatchPolicy.candidates("a", List.of(degraded("a", "available", 0), node("b", 0.6, 0), node("c", 0.3, 0))))
      .containsExactly("c", "b");
    // not even its own warm process keeps the job here while a healthy node can take it
    assertThat(DispatchPolicy.candidates("a", List.of(degraded("a", "available", 2), node("b", 0.6, 0))))
      .containsExactly("b");
  }

  /** When no healthy node can take the job and this one is degraded, its own pool answers (with its last error). */
  @Test
  void whenNoHealthyNodeCanTakeItADegradedLocalNodeAnswersItself() {
    assertThat(DispatchPolicy.candidates("a", List.of(degraded("a", "available", 0), degraded("b", "available", 0))))
      .as("every node degraded").containsExactly("a");
    assertThat(DispatchPolicy.candidates("a", List.of(degraded("a", "available", 1), node("b", "full", 0.9, 2, 0, 0))))
      .as("the healthy node is full").containsExactly("a");
    assertThat(DispatchPolicy.candidates("a", List.of(degraded("a", "full", 0), degraded("b", "available", 0))))
      .as("degraded and full: its pool still answers").containsExactly("a");
  }

  @Test
  void aDegradedNodeNeverAnswersForOthersWhenItIsNotThisOne() {
    assertThat(DispatchPolicy.candidates("a", List.of(node("a", "full", 0.9, 0, 0, 0), degraded("b", "available", 3))))
      .as("this node full, the other degraded: rejected full here").isEmpty();
    assertThat(DispatchPolicy.candidates("a", List.of(degraded("a", "draining", 0), degraded("b", "available", 0))))
      .as("a draining node takes no job").isEmpty();
  }

  @Test
  void noNodesNoCandidates() {
    assertThat(DispatchPolicy.candidates("a", List.of())).isEmpty();
  }
}
