package io.warmpool.testbed;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One PNG per scenario of the policies benchmark: idle processes and load over time, one line
 * per policy (the first run of each), and under it the trade-off: idle memory against p99
 * start latency, one point per policy (medians of the runs). Drawn off screen.
 */
final class PolicyPlot {

  static final int WIDTH = 1400;
  static final int TIMELINE_HEIGHT = 760;
  static final int TRADE_OFF_HEIGHT = 520;

  /** One colour per policy, in the order of {@link PoliciesBench#POLICIES}. */
  private static final Color[] COLORS = {
    new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x8c564b), new Color(0x17becf), new Color(0x2ca02c), new Color(0xd62728)};

  private PolicyPlot() {
  }

  static void write(Path png, Scenario scenario, List<RunResult> runs, Map<String, double[]> medians, int memoryColumn,
                    int p99Column) throws IOException {
    ReportPlot.writeStacked(png, WIDTH, timelines(scenario, runs), TIMELINE_HEIGHT, tradeOff(medians, memoryColumn, p99Column),
      TRADE_OFF_HEIGHT);
  }

  static JFreeChart timelines(Scenario scenario, List<RunResult> runs) {
    XYSeriesCollection idle = new XYSeriesCollection();
    XYSeriesCollection load = new XYSeriesCollection();
    for (RunResult run : runs) {
      XYSeries idleSeries = new XYSeries(run.name(), true, true);
      XYSeries loadSeries = new XYSeries(run.name(), true, true);
      for (Timeline.Row row : run.timeline().loadRows()) {
        idleSeries.add(row.tMs() / 1000.0, row.idle());
        loadSeries.add(row.tMs() / 1000.0, row.load());
      }
      idle.addSeries(idleSeries);
      load.addSeries(loadSeries);
    }
    XYStepRenderer steps = new XYStepRenderer();
    steps.setDefaultShapesVisible(false);
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < runs.size(); i++) {
      steps.setSeriesPaint(i, COLORS[i % COLORS.length]);
      steps.setSeriesStroke(i, new BasicStroke(2f));
      lines.setSeriesPaint(i, COLORS[i % COLORS.length]);
      lines.setSeriesStroke(i, new BasicStroke(1.6f));
    }
    NumberAxis processes = new NumberAxis("idle processes");
    processes.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    processes.setAutoRangeIncludesZero(true);
    NumberAxis loadAxis = new NumberAxis("load");
    loadAxis.setRange(0, 1.05);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("time since the load started (s)"));
    plot.setGap(12);
    plot.add(ReportPlot.plot(idle, processes, steps), 1);
    XYPlot loadPlot = ReportPlot.plot(load, loadAxis, lines);
    loadPlot.getRenderer().setDefaultSeriesVisibleInLegend(false);
    plot.add(loadPlot, 1);
    JFreeChart chart = new JFreeChart(scenario.name() + ": idle processes and load, per pool.idlePolicy (run 1)",
      new Font(Font.SANS_SERIF, Font.BOLD, 18), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  static JFreeChart tradeOff(Map<String, double[]> medians, int memoryColumn, int p99Column) {
    XYSeriesCollection points = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
    int i = 0;
    NumberAxis memory = new NumberAxis("memory held by processes not running a job (MB·s, median)");
    memory.setAutoRangeIncludesZero(true);
    // room on the right for the label of the point furthest out
    memory.setUpperMargin(0.15);
    NumberAxis p99 = new NumberAxis("start latency p99 (ms, median)");
    p99.setAutoRangeIncludesZero(true);
    XYPlot plot = ReportPlot.plot(points, p99, renderer);
    plot.setDomainAxis(memory);
    for (Map.Entry<String, double[]> policy : medians.entrySet()) {
      double x = policy.getValue()[memoryColumn];
      double y = policy.getValue()[p99Column];
      XYSeries series = new XYSeries(policy.getKey());
      if (!Double.isNaN(x) && !Double.isNaN(y)) {
        series.add(x, y);
        XYTextAnnotation label = new XYTextAnnotation("  " + policy.getKey(), x, y);
        label.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        label.setTextAnchor(TextAnchor.CENTER_LEFT);
        plot.addAnnotation(label);
      }
      points.addSeries(series);
      renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
      renderer.setSeriesShape(i, new Ellipse2D.Double(-6, -6, 12, 12));
      i++;
    }
    JFreeChart chart = new JFreeChart("the trade-off: idle memory against p99 start latency (lower left is better)",
      new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }
}
