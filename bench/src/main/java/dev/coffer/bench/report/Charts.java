package dev.coffer.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG charts (XChart). Stateless. */
final class Charts {
  private Charts() {}

  /** One line of an XY chart: points sorted by x, with optional symmetric error bars. */
  static final class Line {
    final String name;
    final double[] x;
    final double[] y;
    final double[] err;

    Line(String name, double[] x, double[] y, double[] err) {
      this.name = name;
      this.x = x;
      this.y = y;
      this.err = err;
    }
  }

  /** Throughput (MB/s) by message size per cipher, log-log. */
  static boolean cipher(
      List<JmhResult> rs, String op, String profile, Function<String, String> order, Path png)
      throws IOException {
    Map<String, TreeSet<double[]>> series = new LinkedHashMap<>();
    rs.stream()
        .filter(r -> r.method.equals(op))
        .sorted(Comparator.comparing(r -> order.apply(r.param("cipher"))))
        .forEach(
            r ->
                series
                    .computeIfAbsent(
                        r.param("cipher"),
                        k -> new TreeSet<>(Comparator.comparingDouble((double[] p) -> p[0])))
                    .add(
                        new double[] {
                          Double.parseDouble(r.param("size")),
                          r.primary.score * Double.parseDouble(r.param("size")) / 1e6
                        }));
    if (series.isEmpty()) {
      return false;
    }
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(560)
            .title("AEAD " + op + ": throughput by message size (" + profile + ")")
            .xAxisTitle("message size (bytes, log scale)")
            .yAxisTitle("MB/s (log scale)")
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setMarkerSize(8);
    chart.getStyler().setYAxisDecimalPattern("#,##0");
    chart.getStyler().setXAxisDecimalPattern("#,##0");
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    for (Map.Entry<String, TreeSet<double[]>> e : series.entrySet()) {
      double[] x = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
      double[] y = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
      XYSeries s = chart.addSeries(e.getKey(), x, y);
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    return true;
  }

  /** Bars of Coffer's slowdown per operation and store, with their spread and a target line. */
  static boolean slowdown(
      List<Ratio> ratios,
      String title,
      double target,
      String profile,
      Function<Ratio, String> label,
      Path png)
      throws IOException {
    if (ratios.isEmpty()) {
      return false;
    }
    List<String> labels =
        new ArrayList<>(
            new LinkedHashSet<>(ratios.stream().map(label).collect(Collectors.toList())));
    Set<String> stores =
        new TreeSet<>(
            ratios.stream().map(r -> r.subject.param("store")).collect(Collectors.toList()));
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(1000)
            .height(560)
            .title(title + ": Coffer time/op ÷ RocksDB time/op (" + profile + ")")
            .xAxisTitle("operation (x2 = 2 threads)")
            .yAxisTitle("slowdown vs RocksDB (lower is better)")
            .build();
    CategoryStyler st = chart.getStyler();
    st.setLegendPosition(Styler.LegendPosition.OutsideE);
    st.setXAxisLabelRotation(30);
    st.setErrorBarsColor(Color.DARK_GRAY);
    st.setChartBackgroundColor(Color.WHITE);
    st.setLabelsVisible(true);
    st.setDecimalPattern("0.00");
    st.setLabelsPosition(0.95);
    st.setLabelsFontColorAutomaticEnabled(false);
    st.setLabelsFontColor(Color.BLACK);
    st.setOverlapped(false);
    for (String store : stores) {
      List<Double> y = new ArrayList<>();
      List<Double> err = new ArrayList<>();
      for (String l : labels) {
        Ratio match =
            ratios.stream()
                .filter(r -> store.equals(r.subject.param("store")) && l.equals(label.apply(r)))
                .findFirst()
                .orElse(null);
        y.add(match == null ? 0.0 : match.value);
        err.add(match == null ? 0.0 : halfSpread(match));
      }
      chart.addSeries(store, labels, y, err);
    }
    List<Double> t = labels.stream().map(l -> target).collect(Collectors.toList());
    CategorySeries ts = chart.addSeries("target " + target + "x", labels, t);
    ts.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    ts.setMarker(SeriesMarkers.NONE);
    ts.setLineColor(Color.RED);
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    return true;
  }

  /** Bars of throughput relative to a baseline, per operation and item size. */
  static boolean throughput(
      List<Ratio> ratios,
      String param,
      String title,
      String profile,
      Function<Ratio, String> label,
      Path png)
      throws IOException {
    if (ratios.isEmpty()) {
      return false;
    }
    List<String> labels =
        new ArrayList<>(
            new LinkedHashSet<>(ratios.stream().map(label).collect(Collectors.toList())));
    Set<String> names =
        new LinkedHashSet<>(
            ratios.stream().map(r -> r.subject.param(param)).collect(Collectors.toList()));
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(560)
            .title(title + " (" + profile + ")")
            .xAxisTitle("operation, item size, payload")
            .yAxisTitle("throughput / RocksDB throughput")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setDecimalPattern("0.00");
    chart.getStyler().setXAxisLabelRotation(20);
    chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
    chart.getStyler().setLabelsFontColor(Color.BLACK);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    for (String name : names) {
      List<Double> y = new ArrayList<>();
      for (String l : labels) {
        y.add(
            ratios.stream()
                .filter(r -> name.equals(r.subject.param(param)) && l.equals(label.apply(r)))
                .map(r -> r.value)
                .findFirst()
                .orElse(0.0));
      }
      chart.addSeries(name, labels, y);
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    return true;
  }

  /**
   * Ratios against item count (log x), one line per series, error bars of half the interquartile
   * range, and dashed target lines.
   */
  static boolean scaling(
      List<Line> lines, Map<String, Double> targets, String title, String yTitle, Path png)
      throws IOException {
    if (lines.isEmpty()) {
      return false;
    }
    XYChart chart =
        new XYChartBuilder()
            .width(1000)
            .height(600)
            .title(title)
            .xAxisTitle("items in the table (log scale)")
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setMarkerSize(8);
    chart.getStyler().setXAxisDecimalPattern("#,##0");
    chart.getStyler().setYAxisDecimalPattern("0.00");
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
    chart.getStyler().setYAxisMin(0.0);
    double minX = Double.MAX_VALUE;
    double maxX = 0;
    for (Line l : lines) {
      XYSeries s = chart.addSeries(l.name, l.x, l.y, l.err);
      s.setMarker(SeriesMarkers.CIRCLE);
      for (double x : l.x) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
      }
    }
    if (minX == maxX) { // one item count: let the target lines show
      minX *= 0.7;
      maxX *= 1.4;
    }
    for (Map.Entry<String, Double> t : targets.entrySet()) {
      XYSeries s =
          chart.addSeries(
              t.getKey(), new double[] {minX, maxX}, new double[] {t.getValue(), t.getValue()});
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(Color.RED);
      s.setLineStyle(
          new BasicStroke(
              1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    return true;
  }

  private static double halfSpread(Ratio r) {
    double h = (r.hi - r.lo) / 2;
    return Double.isNaN(h) ? 0.0 : h;
  }
}
