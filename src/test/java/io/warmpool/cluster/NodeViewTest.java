package io.warmpool.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeViewTest {

  private static final long MS = 1_000_000;

  static NodeState state(String id, String status, double load, int idle) {
    return new NodeState(id, "http://127.0.0.1:1/" + id, status, load, load, 0.75, idle, 10, 0, false);
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
  void jobsSentCountUntilTheNextStateOrTheirEnd() {
    NodeView view = new NodeView("a", 3000);
    view.update(state("b", "available", 0.1, 2), 0);

    view.sent("b", "j1");
    view.sent("b", "j2");
    view.sent("b", "j3");
    assertThat(view.get("b").sentSince()).isEqualTo(3);
    assertThat(view.get("b").idleLeft()).isZero();

    view.done("j2");
    assertThat(view.get("b").sentSince()).as("an ended job weighs no more").isEqualTo(2);

    view.update(state("b", "available", 0.1, 2), 10 * MS);
    assertThat(view.get("b").sentSince()).isZero();
    view.done("j1");
    view.sent("nobody", "j4");
    assertThat(view.get("nobody")).isNull();
  }

  @Test
  void aTouchMeansTheStateShowsEveryJobSentBefore() {
    NodeView view = new NodeView("a", 3000);
    view.update(state("a", "available", 0.1, 2), 0);
    view.sent("a", "j1");

    view.touch("a", 500 * MS);

    assertThat(view.self().sentSince()).isZero();
    assertThat(view.self().receivedNanos()).isEqualTo(500 * MS);
  }
}
