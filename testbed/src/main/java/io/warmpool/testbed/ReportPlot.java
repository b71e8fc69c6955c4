package io.warmpool.testbed;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One PNG per run: the pool over time (load with the threshold line and the spans when the
 * worker was full; idle, initialising and running processes with the idle target; jobs per
 * second; memory), and under it a histogram of the start latency on a log scale.
 *
 * <p>Drawn off screen: {@link LoadTest} sets {@code java.awt.headless} before any AWT class loads.
 */
final class ReportPlot {

  static final int WIDTH = 1400;
  static final int TIMELINE_HEIGHT = 1000;
  static final int HISTOGRAM_HEIGHT = 380;
  /** Rates are taken over this many samples (1 s), so single arrivals do not make spikes. */
  static final int RATE_WINDOW = 10;

  private static final Color LOAD = new Color(0x1f77b4);
  private static final Color EFFECTIVE = new Color(0x9ecae1);
  private static final Color IDLE = new Color(0x2ca02c);
  private static final Color INITIALIZING = new Color(0xff7f0e);
  private static final Color RUNNING = new Color(0x9467bd);
  private static final Color TARGET = Color.BLACK;
  private static final Color REJECTED = new Color(0xd62728);
  private static final Color STARTED = new Color(0x17becf);
  private static final Color MEMORY = new Color(0x8c564b);
  private static final Color FULL = new Color(214, 39, 40, 40);

  private ReportPlot() {
  }

  static void write(Path png, RunResult run) throws IOException {
    writeStacked(png, WIDTH, timeline(run), TIMELINE_HEIGHT, histogram(run), HISTOGRAM_HEIGHT);
  }

  /** Two charts of one width, one above the other, into one PNG on white. */
  static void writeStacked(Path png, int width, JFreeChart top, int topHeight, JFreeChart bottom, int bottomHeight)
    throws IOException {
    BufferedImage image = new BufferedImage(width, topHeight + bottomHeight, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      top.draw(g, new Rectangle2D.Double(0, 0, width, topHeight));
      bottom.draw(g, new Rectangle2D.Double(0, topHeight, width, bottomHeight));
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", png.toFile());
  }

  // ---- timeline ------------------------------------------------------------------------

  static JFreeChart timeline(RunResult run) {
    List<Timeline.Row> rows = run.timeline().rows();
    NumberAxis time = new NumberAxis("time since the load started (s)");
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
    plot.setGap(12);
    plot.add(loadPlot(run, rows), 3);
    plot.add(processPlot(rows), 3);
    plot.add(ratePlot(rows), 2);
    if (rows.stream().anyMatch(r -> !Double.isNaN(r.childrenRssMb()))) {
      plot.add(memoryPlot(rows), 2);
    }
    JFreeChart chart = new JFreeChart(run.scenario().name() + (run.name().equals(run.scenario().name()) ? "" : " / " + run.name())
      + ": " + run.scenario().arrival().describe() + ", " + run.scenario().connections() + " connections",
      new Font(Font.SANS_SERIF, Font.BOLD, 18), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  private static XYPlot loadPlot(RunResult run, List<Timeline.Row> rows) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(series("load (averaged)", rows, Timeline.Row::load));
    data.addSeries(series("effective load (with reserved jobs)", rows, Timeline.Row::effectiveLoad));
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, LOAD);
    renderer.setSeriesStroke(0, new BasicStroke(2.2f));
    renderer.setSeriesPaint(1, EFFECTIVE);
    renderer.setSeriesStroke(1, new BasicStroke(1.2f));
    NumberAxis axis = new NumberAxis("load");
    double top = Math.max(1.05, rows.stream().mapToDouble(Timeline.Row::effectiveLoad).max().orElse(1) * 1.05);
    axis.setRange(0, top);
    XYPlot plot = plot(data, axis, renderer);
    double threshold = run.timeline().threshold();
    if (!Double.isNaN(threshold)) {
      ValueMarker line = new ValueMarker(threshold, REJECTED, new BasicStroke(2f, BasicStroke.CAP_BUTT,
        BasicStroke.JOIN_MITER, 1f, new float[] {8f, 5f}, 0f));
      line.setLabel(String.format(Locale.ROOT, "threshold %.2f", threshold));
      line.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      line.setLabelPaint(REJECTED);
      line.setLabelAnchor(RectangleAnchor.TOP_LEFT);
      line.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
      plot.addRangeMarker(line, Layer.FOREGROUND);
    }
    // the spans when the worker was full: shaded on every panel would be noise, here they explain the load
    Double fullFrom = null;
    for (Timeline.Row r : rows) {
      double t = r.tMs() / 1000.0;
      boolean full = "full".equals(r.status());
      if (full && fullFrom == null) {
        fullFrom = t;
      } else if (!full && fullFrom != null) {
        plot.addDomainMarker(fullMarker(fullFrom, t), Layer.BACKGROUND);
        fullFrom = null;
      }
    }
    if (fullFrom != null) {
      plot.addDomainMarker(fullMarker(fullFrom, rows.get(rows.size() - 1).tMs() / 1000.0), Layer.BACKGROUND);
    }
    return plot;
  }

  private static IntervalMarker fullMarker(double from, double to) {
    IntervalMarker marker = new IntervalMarker(from, to, FULL);
    marker.setLabel("full");
    marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    marker.setLabelAnchor(RectangleAnchor.TOP);
    marker.setLabelTextAnchor(TextAnchor.TOP_CENTER);
    return marker;
  }

  private static XYPlot processPlot(List<Timeline.Row> rows) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(series("idle", rows, Timeline.Row::idle));
    data.addSeries(series("initializing", rows, Timeline.Row::initializing));
    data.addSeries(series("running", rows, Timeline.Row::running));
    data.addSeries(series("idle target", rows, Timeline.Row::target));
    XYStepRenderer renderer = new XYStepRenderer();
    renderer.setDefaultShapesVisible(false);
    renderer.setSeriesPaint(0, IDLE);
    renderer.setSeriesPaint(1, INITIALIZING);
    renderer.setSeriesPaint(2, RUNNING);
    renderer.setSeriesPaint(3, TARGET);
    for (int i = 0; i < 3; i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    renderer.setSeriesStroke(3, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
    NumberAxis axis = new NumberAxis("processes");
    axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    // setLowerBound would switch auto-range off and pin the top at 1: include zero instead
    axis.setAutoRangeIncludesZero(true);
    return plot(data, axis, renderer);
  }

  private static XYPlot ratePlot(List<Timeline.Row> rows) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(rate("submitted / s", rows, Timeline.Row::submitted));
    data.addSeries(rate("started / s", rows, Timeline.Row::started));
    data.addSeries(rate("rejected / s", rows, Timeline.Row::rejected));
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, Color.GRAY);
    renderer.setSeriesPaint(1, STARTED);
    renderer.setSeriesPaint(2, REJECTED);
    for (int i = 0; i < 3; i++) {
      renderer.setSeriesStroke(i, new BasicStroke(1.6f));
    }
    NumberAxis axis = new NumberAxis("jobs / s");
    axis.setAutoRangeIncludesZero(true);
    return plot(data, axis, renderer);
  }

  private static XYPlot memoryPlot(List<Timeline.Row> rows) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(series("pooled processes RSS (MB)", rows, Timeline.Row::childrenRssMb));
    data.addSeries(series("worker RSS (MB)", rows, Timeline.Row::workerRssMb));
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, MEMORY);
    renderer.setSeriesPaint(1, Color.DARK_GRAY);
    NumberAxis axis = new NumberAxis("memory (MB)");
    axis.setAutoRangeIncludesZero(true);
    return plot(data, axis, renderer);
  }

  static XYPlot plot(XYSeriesCollection data, NumberAxis axis, org.jfree.chart.renderer.xy.XYItemRenderer renderer) {
    XYPlot plot = new XYPlot(data, null, axis, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    return plot;
  }

  private static XYSeries series(String name, List<Timeline.Row> rows, ToDoubleFunction<Timeline.Row> value) {
    XYSeries series = new XYSeries(name, true, true);
    for (Timeline.Row r : rows) {
      double v = value.applyAsDouble(r);
      if (!Double.isNaN(v)) {
        series.add(r.tMs() / 1000.0, v);
      }
    }
    return series;
  }

  /** A cumulative count as a rate over the last {@link #RATE_WINDOW} samples. */
  private static XYSeries rate(String name, List<Timeline.Row> rows, ToDoubleFunction<Timeline.Row> count) {
    XYSeries series = new XYSeries(name, true, true);
    for (int i = 1; i < rows.size(); i++) {
      int from = Math.max(0, i - RATE_WINDOW);
      double seconds = (rows.get(i).tMs() - rows.get(from).tMs()) / 1000.0;
      if (seconds > 0) {
        series.add(rows.get(i).tMs() / 1000.0, (count.applyAsDouble(rows.get(i)) - count.applyAsDouble(rows.get(from))) / seconds);
      }
    }
    return series;
  }

  // ---- latency histogram ---------------------------------------------------------------

  static JFreeChart histogram(RunResult run) {
    Histogram us = run.recorder().startLatencyUs();
    XYIntervalSeries bars = new XYIntervalSeries("jobs", false, true);
    if (us.getTotalCount() > 0) {
      // buckets that grow by half each: 0.1, 0.15, 0.225 … ms, so milliseconds and seconds both read
      for (HistogramIterationValue v : us.logarithmicBucketValues(100, 1.5)) {
        long count = v.getCountAddedInThisIterationStep();
        double to = v.getValueIteratedTo() / 1000.0;
        double from = Math.max(v.getValueIteratedFrom() / 1000.0, to / 1.5);
        if (count > 0) {
          bars.add(Math.sqrt(from * to), from, to, count, 0, count);
        }
      }
    }
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    data.addSeries(bars);
    LogAxis latency = new LogAxis("start latency: submit sent → started received (ms, log scale)");
    latency.setSmallestValue(0.01);
    latency.setBase(10);
    // a tick per decade, labelled plainly (0.1, 1, 10, 100 …): 63.096 and 158.489 read as noise
    latency.setTickUnit(new NumberTickUnit(1));
    latency.setMinorTickCount(9);
    latency.setMinorTickMarksVisible(true);
    latency.setNumberFormatOverride(new java.text.DecimalFormat("0.###"));
    if (us.getTotalCount() > 0) {
      // from a whole decade up to at least the next one, so there are always two labelled ticks
      double low = Math.pow(10, Math.floor(Math.log10(Math.max(0.01, us.getMinValue() / 1000.0))));
      double high = Math.max(low * 10, us.getMaxValue() / 1000.0 * 1.5);
      latency.setRange(low, high);
    } else {
      latency.setRange(0.1, 10);
    }
    NumberAxis count = new NumberAxis("jobs");
    count.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYBarRenderer renderer = new XYBarRenderer(0.05);
    renderer.setBarPainter(new StandardXYBarPainter());
    renderer.setShadowVisible(false);
    renderer.setSeriesPaint(0, LOAD);
    XYPlot plot = new XYPlot(data, latency, count, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    if (us.getTotalCount() > 0) {
      marker(plot, "p50", us.getValueAtPercentile(50) / 1000.0, new Color(0x2ca02c), RectangleAnchor.TOP_RIGHT);
      marker(plot, "p99", us.getValueAtPercentile(99) / 1000.0, new Color(0xff7f0e), RectangleAnchor.RIGHT);
      marker(plot, "max", us.getMaxValue() / 1000.0, REJECTED, RectangleAnchor.BOTTOM_RIGHT);
    }
    String title = String.format(Locale.ROOT, "start latency of %d jobs: p50 %.2f ms, p99 %.2f ms, max %.2f ms",
      us.getTotalCount(), us.getTotalCount() == 0 ? 0.0 : us.getValueAtPercentile(50) / 1000.0,
      us.getTotalCount() == 0 ? 0.0 : us.getValueAtPercentile(99) / 1000.0, us.getMaxValue() / 1000.0);
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /** A dashed line at a latency; the anchors differ so that close percentiles keep readable labels. */
  private static void marker(XYPlot plot, String label, double ms, Color color, RectangleAnchor anchor) {
    ValueMarker marker = new ValueMarker(ms, color, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
      1f, new float[] {4f, 3f}, 0f));
    marker.setLabel(String.format(Locale.ROOT, "%s %.2f ms", label, ms));
    marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    marker.setLabelPaint(color.darker());
    marker.setLabelAnchor(anchor);
    marker.setLabelTextAnchor(anchor == RectangleAnchor.TOP_RIGHT ? TextAnchor.TOP_LEFT
      : anchor == RectangleAnchor.RIGHT ? TextAnchor.CENTER_LEFT : TextAnchor.BOTTOM_LEFT);
    plot.addDomainMarker(marker, Layer.FOREGROUND);
  }
}
