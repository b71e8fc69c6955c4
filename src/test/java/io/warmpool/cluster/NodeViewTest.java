package io.warmpool.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeViewTest {

  private static final long MS = 1_000_000;

  static NodeState state(String id, String status, double load, int idle) {
    return new NodeState(id, "http://127.0.0.1:1/" + id, status, load, load, 0.75, idle, 10, 0);
  }

  @Test
  void keepsTheLatestStateOfEachNodeWithItsAge() {
    NodeView view = new NodeView("a", 3000);

    assertThat(view.update(state("a", "available", 0.1, 2), 0)).isTrue();
    assertThat(view.update(state("b", "available", 0.2, 1), 100 * MS)).isTrue();
    assertThat(view.update(state("b", "full", 0.9, 0), 200 * MS)).isFalse();

    assertThat(view.nodes(700 * MS)).extracting(NodeView.Node::id).containsExactly("a", "b");
    assertThat(view.get("b").state().status()).isEqualTo("full");
    assertThat(view.get("b").ageMs(700 * MS)).isEqualTo(500);
    assertThat(view.toJson(700 * MS).getJsonObject(1).getLong("ageMs")).isEqualTo(500);
    assertThat(view.toJson(700 * MS).getJsonObject(0).getBoolean("self")).isTrue();
  }

  @Test
  void aNodeThatLeftIsGoneForGoodEvenIfALateStateArrives() {
    NodeView view = new NodeView("a", 3000);
    view.update(state("b", "available", 0.1, 1), 0);

    assertThat(view.left("b")).isTrue();
    assertThat(view.update(state("b", "available", 0.1, 1), 10 * MS)).isFalse();

    assertThat(view.nodes(20 * MS)).isEmpty();
    assertThat(view.hasLeft("b")).isTrue();
    assertThat(view.left("c")).as("never seen").isFalse();
  }

  @Test
  void aSilentNodeIsLeftOutThenDroppedAndComesBackWhenItPublishes() {
    NodeView view = new NodeView("a", 3000);
    view.update(state("a", "available", 0.1, 1), 0);
    view.update(state("b", "available", 0.1, 1), 0);

    assertThat(view.nodes(3001 * MS)).extracting(NodeView.Node::id).as("both stale, none listed").isEmpty();
    view.touch("a", 3001 * MS);
    assertThat(view.expire(3001 * MS)).containsExactly("b");
    assertThat(view.nodes(3001 * MS)).extracting(NodeView.Node::id).containsExactly("a");

    assertThat(view.update(state("b", "available", 0.1, 1), 4000 * MS)).as("back").isTrue();
  }

  @Test
  void selfIsNeverExpired() {
    NodeView view = new NodeView("a", 3000);
    view.update(state("a", "available", 0.1, 1), 0);

    assertThat(view.expire(10_000 * MS)).isEmpty();
    assertThat(view.self()).isNotNull();
  }

  @Test
  void jobsSentCountUntilTheNextState() {
    NodeView view = new NodeView("a", 3000);
    view.update(state("b", "available", 0.1, 2), 0);

    view.sent("b");
    view.sent("b");
    view.sent("b");
    assertThat(view.get("b").sentSince()).isEqualTo(3);
    assertThat(view.get("b").idleLeft()).isZero();

    view.touch("b", 5 * MS);
    assertThat(view.get("b").sentSince()).as("a touch is no new information").isEqualTo(3);
    view.update(state("b", "available", 0.1, 2), 10 * MS);
    assertThat(view.get("b").sentSince()).isZero();
    view.sent("nobody");
  }
}
