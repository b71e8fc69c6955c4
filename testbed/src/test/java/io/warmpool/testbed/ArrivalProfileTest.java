package io.warmpool.testbed;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The arrival profiles as pure schedules: counted, never timed. */
class ArrivalProfileTest {

  /** Arrivals in [fromMs, toMs). */
  private static long count(long[] schedule, long fromMs, long toMs) {
    return Arrays.stream(schedule).filter(t -> t >= fromMs && t < toMs).count();
  }

  private static ArrivalProfile parse(String json, long durationMs) throws ScenarioException {
    return ArrivalProfile.fromJson(new JsonFields("arrival", new JsonObject(json)), durationMs, 42);
  }

  private static void assertOrderedWithin(long[] schedule, long durationMs) {
    assertThat(schedule).isSorted();
    assertThat(Arrays.stream(schedule).allMatch(t -> t >= 0 && t < durationMs)).isTrue();
  }

  @Test
  void constantSpreadsItsRateEvenlyOverEverySecond() {
    long[] schedule = new ArrivalProfile.Constant(10).schedule(10_000);

    assertThat(schedule).hasSize(100);
    for (int s = 0; s < 10; s++) {
      assertThat(count(schedule, s * 1000L, (s + 1) * 1000L)).as("second %d", s).isEqualTo(10);
    }
    assertOrderedWithin(schedule, 10_000);
  }

  @Test
  void aFractionalRateKeepsItsMeanOverTime() {
    long[] schedule = new ArrivalProfile.Constant(0.5).schedule(60_000);

    assertThat(schedule).hasSize(30);
    assertThat(count(schedule, 0, 10_000)).isEqualTo(5);
  }

  @Test
  void rampRisesLinearly() {
    ArrivalProfile ramp = new ArrivalProfile.Ramp(0, 20, 10_000);
    long[] schedule = ramp.schedule(10_000);

    assertThat(ramp.rateAt(0)).isEqualTo(0);
    assertThat(ramp.rateAt(5000)).isEqualTo(10);
    assertThat(ramp.rateAt(20_000)).isEqualTo(20);
    // the integral of 0..20 over 10 s is 100, a quarter of it in the first half
    assertThat((double) schedule.length).isCloseTo(100, within(1.0));
    assertThat((double) count(schedule, 0, 5000)).isCloseTo(25, within(1.0));
    assertThat((double) count(schedule, 5000, 10_000)).isCloseTo(75, within(1.0));
    long previous = -1;
    for (int s = 0; s < 10; s++) {
      long inSecond = count(schedule, s * 1000L, (s + 1) * 1000L);
      assertThat(inSecond).as("second %d", s).isGreaterThanOrEqualTo(previous);
      previous = inSecond;
    }
    assertOrderedWithin(schedule, 10_000);
  }

  @Test
  void rampHoldsItsTargetAfterOverMs() {
    long[] schedule = new ArrivalProfile.Ramp(10, 0, 5000).schedule(10_000);

    assertThat((double) count(schedule, 0, 5000)).isCloseTo(25, within(1.0));
    assertThat(count(schedule, 5000, 10_000)).isZero();
  }

  @Test
  void stepHoldsEachLevelUntilTheNext() {
    ArrivalProfile step = new ArrivalProfile.Step(java.util.List.of(
      new ArrivalProfile.Step.Level(1000, 5), new ArrivalProfile.Step.Level(5000, 20), new ArrivalProfile.Step.Level(8000, 0)));
    long[] schedule = step.schedule(10_000);

    assertThat(step.rateAt(500)).isZero();
    assertThat(count(schedule, 0, 1000)).isZero();
    assertThat(count(schedule, 1000, 5000)).isEqualTo(20);
    assertThat(count(schedule, 5000, 8000)).isEqualTo(60);
    assertThat(count(schedule, 8000, 10_000)).isZero();
  }

  @Test
  void spikeRaisesTheRateOnlyInItsWindow() {
    long[] schedule = new ArrivalProfile.Spike(2, 50, 4000, 1000).schedule(10_000);

    assertThat(count(schedule, 4000, 5000)).isEqualTo(50);
    for (int s : new int[] {0, 1, 2, 3, 5, 6, 7, 8, 9}) {
      assertThat(count(schedule, s * 1000L, (s + 1) * 1000L)).as("second %d", s).isBetween(1L, 3L);
    }
    assertThat((double) schedule.length).isCloseTo(68, within(1.0));
  }

  @Test
  void poissonHasTheMeanRateAndIsTheSameForTheSameSeed() {
    ArrivalProfile poisson = new ArrivalProfile.Poisson(20, 7);
    long[] schedule = poisson.schedule(100_000);

    // mean 2000, standard deviation sqrt(2000) ≈ 45: 4 of them either side
    assertThat((double) schedule.length).isCloseTo(2000, within(180.0));
    assertThat(new ArrivalProfile.Poisson(20, 7).schedule(100_000)).isEqualTo(schedule);
    assertThat(new ArrivalProfile.Poisson(20, 8).schedule(100_000)).isNotEqualTo(schedule);
    assertOrderedWithin(schedule, 100_000);
  }

  @Test
  void poissonGapsAreIrregularNotEven() {
    long[] schedule = new ArrivalProfile.Poisson(10, 3).schedule(200_000);
    long oneSecondWindows = 200;
    long[] perSecond = new long[(int) oneSecondWindows];
    for (long t : schedule) {
      perSecond[(int) (t / 1000)]++;
    }
    double mean = Arrays.stream(perSecond).average().orElseThrow();
    double variance = Arrays.stream(perSecond).mapToDouble(c -> (c - mean) * (c - mean)).sum() / oneSecondWindows;

    // a Poisson count has its variance equal to its mean; an even schedule has none
    assertThat(mean).isCloseTo(10, within(1.0));
    assertThat(variance).isBetween(6.0, 14.0);
  }

  @Test
  void burstSendsItsCountAtOnceAndRepeats() {
    assertThat(new ArrivalProfile.Burst(8, 1000, 0).schedule(10_000)).containsExactly(1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000);

    long[] repeated = new ArrivalProfile.Burst(4, 1000, 2000).schedule(7000);
    assertThat(repeated).hasSize(12);
    assertThat(count(repeated, 5000, 5001)).isEqualTo(4);
  }

  @Test
  void aClosedLoopHasNoSchedule() {
    assertThat(new ArrivalProfile.ClosedLoop(4).schedule(10_000)).isEmpty();
  }

  @Test
  void tooManyArrivalsAreRefusedBeforeTheRun() {
    assertThatThrownBy(() -> new ArrivalProfile.Constant(10_000).schedule(3_600_000))
      .isInstanceOf(IllegalStateException.class).hasMessageContaining("1000000");
  }

  @Test
  void jsonIsReadWithItsDefaults() throws ScenarioException {
    assertThat(parse("{\"type\":\"constant\",\"rate\":3}", 1000)).isEqualTo(new ArrivalProfile.Constant(3));
    assertThat(parse("{\"type\":\"ramp\",\"from\":1,\"to\":9}", 30_000)).isEqualTo(new ArrivalProfile.Ramp(1, 9, 30_000));
    assertThat(parse("{\"type\":\"poisson\",\"rate\":2}", 1000)).isEqualTo(new ArrivalProfile.Poisson(2, 42));
    assertThat(parse("{\"type\":\"burst\",\"count\":8,\"atMs\":0}", 1000)).isEqualTo(new ArrivalProfile.Burst(8, 0, 0));
    assertThat(parse("{\"type\":\"step\",\"levels\":[{\"atMs\":0,\"rate\":1},{\"atMs\":500,\"rate\":2}]}", 1000).rateAt(600)).isEqualTo(2);
  }

  @Test
  void badJsonNamesTheFieldAndWhatIsAllowed() {
    assertThatThrownBy(() -> parse("{\"type\":\"wave\"}", 1000))
      .hasMessageContaining("arrival.type").hasMessageContaining("constant").hasMessageContaining("\"wave\"");
    assertThatThrownBy(() -> parse("{\"type\":\"constant\"}", 1000)).hasMessage("arrival.rate must be a number from 0.001 to 10000 (missing)");
    assertThatThrownBy(() -> parse("{\"type\":\"constant\",\"rate\":-1}", 1000)).hasMessage("arrival.rate must be a number from 0.001 to 10000, not -1");
    assertThatThrownBy(() -> parse("{\"type\":\"constant\",\"rate\":1,\"rat\":2}", 1000)).hasMessageContaining("unknown field arrival.rat");
    assertThatThrownBy(() -> parse("{\"type\":\"step\",\"levels\":[{\"atMs\":500,\"rate\":1},{\"atMs\":100,\"rate\":2}]}", 1000))
      .hasMessageContaining("arrival.levels[1].atMs must be after");
    assertThatThrownBy(() -> parse("{\"type\":\"burst\",\"count\":1.5,\"atMs\":0}", 1000)).hasMessageContaining("arrival.count must be a whole number");
  }
}
