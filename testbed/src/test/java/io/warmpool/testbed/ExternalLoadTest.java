package io.warmpool.testbed;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The external load a run drives, as a pure function of the time since the load started. */
class ExternalLoadTest {

  private static ExternalLoad parse(String json) throws ScenarioException {
    return ExternalLoad.fromJson(new JsonFields("externalLoad", new JsonObject(json)));
  }

  @ParameterizedTest(name = "square at {0} ms = {1}")
  @CsvSource(textBlock = """
    -500,  0.70
    0,     0.70
    2999,  0.70
    3000,  0.80
    5999,  0.80
    6000,  0.70
    9000,  0.80
    60001, 0.70
    """)
  void squareIsLowTheFirstHalfOfEachPeriodAndHighTheSecond(long elapsedMs, double expected) throws ScenarioException {
    ExternalLoad square = parse("{\"type\": \"square\", \"low\": 0.70, \"high\": 0.80, \"periodMs\": 6000}");

    assertThat(square).isEqualTo(new ExternalLoad.Square(0.70, 0.80, 6000));
    assertThat(square.at(elapsedMs)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "sine at {0} ms = {1}")
  @CsvSource(textBlock = """
    0,     0.70
    1000,  0.725
    2000,  0.775
    3000,  0.80
    4500,  0.75
    6000,  0.70
    """)
  void sineStartsLowPeaksHalfwayAndComesBack(long elapsedMs, double expected) {
    ExternalLoad sine = new ExternalLoad.Sine(0.70, 0.80, 6000);

    assertThat(sine.at(elapsedMs)).isCloseTo(expected, within(1e-9));
  }

  @Test
  void describesItselfForTheReport() {
    assertThat(new ExternalLoad.Square(0.7, 0.8, 6000).describe()).isEqualTo("square 0.7/0.8 every 6.0 s");
  }
}
