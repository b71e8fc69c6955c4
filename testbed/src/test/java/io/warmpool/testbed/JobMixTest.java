package io.warmpool.testbed;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class JobMixTest {

  private static JobMix parse(String mix) throws ScenarioException {
    return JobMix.fromJson(new JsonFields("", new JsonObject("{\"mix\":" + mix + "}")), "mix");
  }

  @Test
  void picksFollowTheWeights() throws ScenarioException {
    JobMix mix = parse("[{\"weight\":1,\"payload\":{\"op\":\"echo\"}},"
      + "{\"weight\":3,\"payload\":{\"op\":\"sleep\",\"ms\":10}},"
      + "{\"weight\":6,\"payload\":{\"op\":\"burn\",\"ms\":5}}]");
    Random random = new Random(1);
    Map<String, Integer> counts = new HashMap<>();
    int picks = 100_000;
    for (int i = 0; i < picks; i++) {
      counts.merge(mix.pick(random).payload().getString("op"), 1, Integer::sum);
    }

    assertThat(counts.get("echo") / (double) picks).isCloseTo(0.1, within(0.01));
    assertThat(counts.get("sleep") / (double) picks).isCloseTo(0.3, within(0.01));
    assertThat(counts.get("burn") / (double) picks).isCloseTo(0.6, within(0.01));
  }

  @Test
  void theSameSeedPicksTheSameSequence() throws ScenarioException {
    JobMix mix = parse("[{\"weight\":1,\"payload\":{\"op\":\"echo\"}},{\"weight\":1,\"payload\":{\"op\":\"sleep\",\"ms\":1}}]");
    Random a = new Random(9);
    Random b = new Random(9);
    for (int i = 0; i < 1000; i++) {
      assertThat(mix.pick(a)).isSameAs(mix.pick(b));
    }
  }

  @Test
  void eachEntryKnowsHowLongItTakesAndHowItShouldEnd() throws ScenarioException {
    JobMix mix = parse("[{\"weight\":1,\"payload\":{\"op\":\"sleep\",\"ms\":300}},"
      + "{\"weight\":1,\"payload\":{\"op\":\"crash\",\"code\":3}},"
      + "{\"weight\":2,\"payload\":{\"op\":\"hang\"},\"timeoutMs\":500},"
      + "{\"weight\":1,\"name\":\"quick\",\"payload\":{\"op\":\"echo\",\"value\":\"x\"}}]");

    assertThat(mix.entries()).extracting(JobMix.Entry::expectedMs).containsExactly(300L, 0L, 500L, 0L);
    assertThat(mix.entries()).extracting(JobMix.Entry::outcome).containsExactly("completed", "failed", "failed", "completed");
    assertThat(mix.entries()).extracting(JobMix.Entry::name).containsExactly("sleep 300 ms", "crash", "hang 500 ms", "quick");
    assertThat(mix.longestMs()).isEqualTo(500);
  }

  @Test
  void badEntriesAreNamed() {
    assertThatThrownBy(() -> parse("[]")).hasMessageContaining("mix must be a non-empty JSON array");
    assertThatThrownBy(() -> parse("[{\"weight\":1,\"payload\":{\"op\":\"fly\"}}]"))
      .hasMessageContaining("mix[0].payload.op must be one of").hasMessageContaining("\"fly\"");
    assertThatThrownBy(() -> parse("[{\"weight\":0,\"payload\":{\"op\":\"echo\"}}]")).hasMessageContaining("mix[0].weight");
    assertThatThrownBy(() -> parse("[{\"weight\":1,\"payload\":{\"op\":\"hang\"}}]"))
      .hasMessageContaining("mix[0].timeoutMs is needed for a hang job");
    assertThatThrownBy(() -> parse("[{\"weight\":1,\"payload\":{\"op\":\"sleep\",\"ms\":-5}}]"))
      .hasMessageContaining("mix[0].payload.ms must be a whole number from 0");
    assertThatThrownBy(() -> parse("[{\"weigth\":1,\"payload\":{\"op\":\"echo\"}}]")).hasMessageContaining("unknown field mix[0].weigth");
  }
}
