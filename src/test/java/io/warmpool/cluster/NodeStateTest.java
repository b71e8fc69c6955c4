package io.warmpool.cluster;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeStateTest {

  private static JsonObject poolState(boolean degraded) {
    return new JsonObject().put("status", "available").put("degraded", degraded).put("load", 0.0).put("effectiveLoad", 0.0)
      .put("threshold", 0.75).put("activeJobs", 0)
      .put("pool", new JsonObject().put("idle", 0).put("processes", 1).put("maxProcesses", 16));
  }

  @Test
  void aDegradedPoolIsPublishedAsADegradedNode() {
    NodeState state = NodeState.fromPoolState("a", null, poolState(true));

    assertThat(state.degraded()).isTrue();
    assertThat(state.toJson().getBoolean("degraded")).isTrue();
    assertThat(NodeState.fromJson(state.toJson())).isEqualTo(state);
    assertThat(NodeState.fromPoolState("a", null, poolState(false)).degraded()).isFalse();
  }

  @Test
  void aNodeStateWithoutTheFieldIsNotDegraded() {
    JsonObject older = NodeState.fromPoolState("a", null, poolState(false)).toJson();
    older.remove("degraded");

    assertThat(NodeState.fromJson(older).degraded()).as("a node of an older version").isFalse();
  }
}
