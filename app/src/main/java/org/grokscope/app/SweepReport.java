package org.grokscope.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.grokscope.actors.RunSummary;
import org.grokscope.protocol.RunSpec;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The result of a sweep, from its runs' journals: {@code summary.csv} and {@code summary.md} (one
 * row per cell: t_fit, t_onset, t_grok, final accuracies and losses; the Markdown adds t_grok and
 * final test accuracy as α-by-group tables) and two phase-diagram figures as PNG and SVG: t_grok
 * against α, one series per group (Fig. 4a), and final test accuracy over α × group, where a group
 * is the optimizer variant with its weight decay and every other axis except α and the seed.
 */
final class SweepReport {
    static final String CSV = "summary.csv";
    static final String MARKDOWN = "summary.md";
    static final String GROK_PLOT = "t-grok-vs-alpha";
    static final String HEATMAP = "test-accuracy-heatmap";
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final String NONE = "—";
    private static final String FAILED = "failed";
    /** One colour per group, shared by its t_grok line and its no-grokking crosses. */
    private static final java.awt.Color[] PALETTE = {new java.awt.Color(0x1f77b4), new java.awt.Color(0xd62728),
        new java.awt.Color(0x2ca02c), new java.awt.Color(0x9467bd), new java.awt.Color(0xff7f0e),
        new java.awt.Color(0x8c564b), new java.awt.Color(0xe377c2), new java.awt.Color(0x7f7f7f)};
    /** Light colours from low to high accuracy, so the printed values stay readable. */
    private static final java.awt.Color[] ACCURACY_COLORS = {new java.awt.Color(0xf4a6a6), new java.awt.Color(0xfff2ae),
        new java.awt.Color(0x9fd89f)};

    /** One cell with what its journal says. */
    record Row(SweepSpec.Cell cell, RunSummary run) {
        RunSpec spec() {
            return cell.spec();
        }

        boolean grokked() {
            return run.tGrok() > 0;
        }

        /** Diverged or gave up: its last numbers are not a result, and it did not run to its end. */
        boolean failed() {
            return run.status() == org.grokscope.protocol.RunStatus.FAILED;
        }

        /**
         * The test accuracy the cell ended with; NaN for a failed run, whose last evaluation may
         * be the initial one and would pass for a result in the means.
         */
        double testAccuracy() {
            return failed() || run.lastEvaluated() == null ? Double.NaN : run.lastEvaluated().testAccuracy();
        }
    }

    private final SweepSpec sweep;
    private final List<Row> rows;
    private final org.grokscope.compute.train.EventSettings events;

    /** @param events the thresholds t_grok was found with, named in the report */
    SweepReport(SweepSpec sweep, List<Row> rows, org.grokscope.compute.train.EventSettings events) {
        this.sweep = sweep;
        this.rows = rows;
        this.events = events;
    }

    /** Writes every file into dir; returns the files written. */
    List<Path> write(Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        written.add(Files.writeString(dir.resolve(CSV), csv()));
        written.add(Files.writeString(dir.resolve(MARKDOWN), markdown()));
        PlotCommand.save(grokPlot(), dir.resolve(GROK_PLOT));
        written.add(dir.resolve(GROK_PLOT + ".png"));
        PlotCommand.save(heatmap(), dir.resolve(HEATMAP));
        written.add(dir.resolve(HEATMAP + ".png"));
        return written;
    }

    /** The CSV column of an axis: optimizer fields without their prefix, '_' for '-'. */
    private static String column(String axis) {
        return axis.replaceFirst("^optimizer\\.", "").replace('-', '_');
    }

    /**
     * Axes with a column of their own: those whose field has no fixed column (lr, epochs, the
     * variant's optimizer ... have one; seed is split_seed and init_seed).
     */
    private List<String> csvAxes() {
        return sweep.axes().stream().filter(a -> !a.equals(SweepSpec.SEED) && !FIXED_COLUMNS.contains(column(a)))
                .toList();
    }

    /** The columns every row has before the axes without one of their own. */
    private static final String FIXED = "run_id,variant,optimizer,alpha,weight_decay,width,split_seed,init_seed,"
            + "lr,epochs";
    private static final List<String> FIXED_COLUMNS = List.of(FIXED.split(","));

    String csv() {
        List<String> axes = csvAxes();
        StringBuilder b = new StringBuilder(FIXED);
        for (String axis : axes) {
            b.append(',').append(column(axis));
        }
        // the last evaluation can be epochs before the last epoch (eval-every, a run that diverged): say which
        b.append(",status,epoch,t_fit,t_onset,t_grok,final_train_acc,final_test_acc,final_train_loss,final_test_loss,"
                + "final_test_epoch\n");
        for (Row r : rows) {
            RunSpec s = r.spec();
            RunSummary run = r.run();
            b.append(String.join(",", r.cell().runId(), r.cell().variant(), s.optimizer().kind().specName(),
                    num(s.alpha()), num(s.optimizer().weightDecay()), Integer.toString(s.width()),
                    Long.toString(s.splitSeed()), Long.toString(s.initSeed()), num(s.optimizer().lr()),
                    Integer.toString(s.epochs())));
            for (String axis : axes) {
                b.append(',').append(r.cell().coordinates().get(axis));
            }
            b.append(',').append(String.join(",", run.status().specName(), Integer.toString(run.epoch()),
                    epochOrEmpty(run.tFit()), epochOrEmpty(run.tOnset()), epochOrEmpty(run.tGrok()),
                    run.last() == null ? "" : num(run.last().trainAccuracy()),
                    run.lastEvaluated() == null ? "" : num(run.lastEvaluated().testAccuracy()),
                    run.last() == null ? "" : num(run.last().trainLoss()),
                    run.lastEvaluated() == null ? "" : num(run.lastEvaluated().testLoss()),
                    run.lastEvaluated() == null ? "" : Integer.toString(run.lastEvaluated().epoch())));
            b.append('\n');
        }
        return b.toString();
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        long grokked = rows.stream().filter(Row::grokked).count();
        b.append("# Sweep ").append(sweep.name()).append("\n\n");
        b.append(rows.size()).append(" cells (").append(String.join(" × ", sweep.axes())).append("), ")
                .append(grokked).append(" grokked. t_grok: first epoch with test accuracy ≥ ")
                .append(num(events.grokAccuracy())).append(", held for ").append(events.hold())
                .append(" evaluations; ").append(NONE).append(": not reached by the run's last epoch; ").append(FAILED)
                .append(": the run failed (diverged), so it is left out of the means.\n\n");
        List<Double> alphas = alphas();
        Map<String, List<Row>> groups = groups();
        b.append("## t_grok by α (one entry per seed)\n\n");
        pivot(b, alphas, groups, cells -> cells.stream().map(r -> r.grokked() ? Integer.toString(r.run().tGrok())
                : r.failed() ? FAILED : NONE).collect(Collectors.joining(" / ")));
        b.append("\n## Final test accuracy by α (mean over seeds that did not fail)\n\n");
        pivot(b, alphas, groups, cells -> cells.stream().allMatch(Row::failed) ? FAILED
                : num3(mean(cells.stream().mapToDouble(Row::testAccuracy).filter(v -> !Double.isNaN(v)).toArray())));
        b.append("\n## Cells\n\n");
        b.append("| run | variant | α | weight decay | N | seed | status | epochs | t_fit | t_onset | t_grok | train acc | test acc |\n");
        b.append("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            RunSpec s = r.spec();
            RunSummary run = r.run();
            b.append("| ").append(String.join(" | ", r.cell().runId(), r.cell().variant(), num(s.alpha()),
                    num(s.optimizer().weightDecay()), Integer.toString(s.width()), seed(s),
                    run.status().specName() + (run.reason() == null ? "" : " (" + run.reason() + ")"),
                    run.epoch() + "/" + s.epochs(), epochOrNone(run.tFit()), epochOrNone(run.tOnset()),
                    epochOrNone(run.tGrok()), run.last() == null ? NONE : num3(run.last().trainAccuracy()),
                    num3(r.testAccuracy()))).append(" |\n");
        }
        return b.toString();
    }

    private void pivot(StringBuilder b, List<Double> alphas, Map<String, List<Row>> groups,
                       java.util.function.Function<List<Row>, String> entry) {
        b.append("| group |");
        alphas.forEach(a -> b.append(" α = ").append(num(a)).append(" |"));
        b.append("\n|---|");
        alphas.forEach(a -> b.append("---:|"));
        b.append('\n');
        for (Map.Entry<String, List<Row>> g : groups.entrySet()) {
            b.append("| ").append(g.getKey()).append(" |");
            for (double a : alphas) {
                List<Row> cells = g.getValue().stream().filter(r -> r.spec().alpha() == a).toList();
                b.append(' ').append(cells.isEmpty() ? "" : entry.apply(cells)).append(" |");
            }
            b.append('\n');
        }
    }

    /**
     * Fig. 4a: mean t_grok of the seeds that grokked; cells that did not are crosses at their last
     * epoch, failed ones triangles at the epoch they failed.
     */
    XYChart grokPlot() {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Grokking time vs training fraction — " + sweep.name()).xAxisTitle("α (training fraction)")
                .yAxisTitle("t_grok (epochs, log)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(9);
        chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        boolean any = false;
        int index = 0;
        for (Map.Entry<String, List<Row>> g : groups().entrySet()) {
            java.awt.Color color = PALETTE[index++ % PALETTE.length];
            List<double[]> means = new ArrayList<>();
            List<double[]> missed = new ArrayList<>();
            List<double[]> failed = new ArrayList<>();
            for (double a : alphas()) {
                List<Row> cells = g.getValue().stream().filter(r -> r.spec().alpha() == a).toList();
                double[] t = cells.stream().filter(Row::grokked).mapToDouble(r -> r.run().tGrok()).toArray();
                if (t.length > 0) {
                    means.add(new double[] {a, mean(t)});
                }
                // at the epoch the run ended: before spec.epochs() for a stopped run; a failed (diverged)
                // run gets a marker of its own, so an early end is not read as a fast result
                cells.stream().filter(r -> !r.grokked() && !r.failed())
                        .forEach(r -> missed.add(new double[] {a, r.run().epoch()}));
                cells.stream().filter(r -> !r.grokked() && r.failed())
                        .forEach(r -> failed.add(new double[] {a, r.run().epoch()}));
            }
            if (!means.isEmpty()) {
                XYSeries s = chart.addSeries(g.getKey() + ": t_grok (mean of seeds that grokked)", column(means, 0),
                        column(means, 1));
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setLineColor(color);
                s.setMarkerColor(color);
                any = true;
            }
            any |= scatter(chart, g.getKey() + ": no grokking (at the last epoch)", missed, SeriesMarkers.CROSS, color);
            any |= scatter(chart, g.getKey() + ": failed (diverged or gave up; at the epoch it ended)", failed,
                    SeriesMarkers.TRIANGLE_DOWN, color);
        }
        if (!any) {
            chart.addSeries("no cells", new double[] {0}, new double[] {1});
        }
        return chart;
    }

    /** Adds the points as markers without a line; false when there are none. */
    private static boolean scatter(XYChart chart, String name, List<double[]> points,
                                   org.knowm.xchart.style.markers.Marker marker, java.awt.Color color) {
        if (points.isEmpty()) {
            return false;
        }
        XYSeries s = chart.addSeries(name, column(points, 0), column(points, 1));
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(marker);
        s.setMarkerColor(color);
        return true;
    }

    /** Final test accuracy, mean over seeds, with α across and one row per group. */
    HeatMapChart heatmap() {
        List<Double> alphas = alphas();
        List<String> groups = new ArrayList<>(groups().keySet());
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(Math.max(HEIGHT / 2, 120 + 60 * groups.size()))
                .title("Final test accuracy (mean over seeds) — " + sweep.name()).xAxisTitle("α (training fraction)")
                .yAxisTitle("optimizer, weight decay").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("0.00");
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(1);
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setRangeColors(ACCURACY_COLORS);
        List<Number[]> cells = new ArrayList<>();
        Map<String, List<Row>> byGroup = groups();
        for (int y = 0; y < groups.size(); y++) {
            for (int x = 0; x < alphas.size(); x++) {
                double a = alphas.get(x);
                double[] acc = byGroup.get(groups.get(y)).stream().filter(r -> r.spec().alpha() == a)
                        .mapToDouble(Row::testAccuracy).filter(v -> !Double.isNaN(v)).toArray();
                if (acc.length > 0) {
                    cells.add(new Number[] {x, y, mean(acc)});
                }
            }
        }
        chart.addSeries("test accuracy", alphas.stream().map(SweepReport::num).toList(), groups, cells);
        return chart;
    }

    private List<Double> alphas() {
        return new ArrayList<>(new TreeSet<>(rows.stream().map(r -> r.spec().alpha()).toList()));
    }

    /** Rows by group label (variant, weight decay, then other axes but α and seed), in cell order. */
    Map<String, List<Row>> groups() {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            StringBuilder label = new StringBuilder(r.cell().variant());
            label.append(" wd=").append(num(r.spec().optimizer().weightDecay()));
            for (Map.Entry<String, String> c : r.cell().coordinates().entrySet()) {
                String axis = c.getKey();
                if (!List.of(SweepSpec.VARIANTS, "alpha", SweepSpec.SEED, "weight-decay").contains(axis)) {
                    label.append(' ').append(axis.equals("width") ? "N" : axis).append('=').append(c.getValue());
                }
            }
            groups.computeIfAbsent(label.toString(), k -> new ArrayList<>()).add(r);
        }
        return groups;
    }

    private static String seed(RunSpec s) {
        return s.splitSeed() == s.initSeed() ? Long.toString(s.splitSeed()) : s.splitSeed() + "/" + s.initSeed();
    }

    private static double[] column(List<double[]> points, int i) {
        return points.stream().mapToDouble(p -> p[i]).toArray();
    }

    private static double mean(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return v.length == 0 ? Double.NaN : sum / v.length;
    }

    static String num(double v) {
        if (!Double.isFinite(v)) {
            // a diverged run's loss, written as the curve CSV writes it (BigDecimal would throw)
            return CurveWriter.num(v);
        }
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    private static String num3(double v) {
        return Double.isNaN(v) ? NONE : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String epochOrEmpty(int epoch) {
        return epoch > 0 ? Integer.toString(epoch) : "";
    }

    private static String epochOrNone(int epoch) {
        return epoch > 0 ? Integer.toString(epoch) : NONE;
    }

    /** The t_grok table of the Markdown, for the console at the end of a sweep. */
    void printGrokTable(PrintWriter out) {
        String md = markdown();
        int start = md.indexOf("## t_grok");
        int end = md.indexOf("\n## ", start + 1);
        out.print(md.substring(start, end + 1));
        out.flush();
    }
}
