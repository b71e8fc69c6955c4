package io.warmpool.testbed;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The policies benchmark's comparisons and its picture, from known figures. */
class PoliciesBenchTest {

  @Test
  void aChangeIsAPercentOfTheBaseWithItsSign() {
    assertThat(PoliciesBench.change(3364, 6312)).isEqualTo("**−47 %**");
    assertThat(PoliciesBench.change(6000, 3000)).isEqualTo("**+100 %**");
    assertThat(PoliciesBench.change(1, 0)).isEqualTo("not comparable");
    assertThat(PoliciesBench.change(Double.NaN, 2)).isEqualTo("not comparable");
  }

  @Test
  void thePictureHasATimelinePerPolicyAndATradeOffPoint(@TempDir Path dir) throws Exception {
    Scenario scenario = Scenario.fromJson("known", new JsonObject("""
      {"description": "d", "connections": 1, "durationMs": 1000, "arrival": {"type": "constant", "rate": 1},
       "mix": [{"weight": 1, "payload": {"op": "echo"}}],
       "variants": [{"name": "fixed-max"}, {"name": "scaled"}]}"""));
    Timeline timeline = new Timeline();
    timeline.add(new Timeline.Row(0, "available", 0.2, 0.2, 4, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 100, 160, 160));
    timeline.add(new Timeline.Row(100, "available", 0.6, 0.6, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 100, 160, 40));
    List<RunResult> runs = scenario.variants().stream()
      .map(v -> new RunResult(scenario, v, new Recorder(), timeline, 1000, List.of(), List.of(), null, null)).toList();
    Map<String, double[]> medians = new LinkedHashMap<>();
    medians.put("fixed-max", new double[] {6312, 30.1});
    medians.put("scaled", new double[] {3364, 18.6});
    Path png = dir.resolve("policies.png");

    PolicyPlot.write(png, scenario, runs, medians, 0, 1);

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(PolicyPlot.WIDTH);
    assertThat(image.getHeight()).isEqualTo(PolicyPlot.TIMELINE_HEIGHT + PolicyPlot.TRADE_OFF_HEIGHT);
    assertThat(PolicyPlot.timelines(scenario, runs).getXYPlot()).as("combined plot").isNotNull();
    assertThat(PolicyPlot.tradeOff(medians, 0, 1).getXYPlot().getDataset().getSeriesCount()).isEqualTo(2);
  }
}
