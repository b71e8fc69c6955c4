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
    return new Node(new NodeState(id, null, status, effectiveLoad, effectiveLoad, 0.75, idle, 10, activeJobs), 0, sent);
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
  void noNodesNoCandidates() {
    assertThat(DispatchPolicy.candidates("a", List.of())).isEmpty();
  }
}
