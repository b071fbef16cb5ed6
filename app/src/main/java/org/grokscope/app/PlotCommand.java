package org.grokscope.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.grokscope.actors.RunSummary;
import org.grokscope.actors.RunSystem;
import org.grokscope.compute.analysis.CheckpointAnalysis;
import org.grokscope.compute.analysis.FourierMeasures;
import org.grokscope.compute.analysis.FunctionImage;
import org.grokscope.compute.analysis.RealDft;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.train.EventSettings;
import org.grokscope.compute.train.GrokDetector;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.events.CheckpointSaved;
import org.grokscope.protocol.events.EpochCompleted;
import org.grokscope.protocol.events.RunEvent;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code grokscope plot RUN_ID}: the paper's views of one run from its journal, as PNG and SVG:
 * losses (log scale), accuracies with t_fit / t_onset / t_grok marked, weight and gradient norms
 * (Fig. 1), IPR against epoch (Fig. 6), the phase-alignment histogram (Fig. 3) and |DFT| per
 * neuron at the last checkpoint. {@code --compare REF} draws a reference run beside it, typically
 * the analytic solution journaled by {@code grokscope analytic --save}: its IPR as the ceiling
 * lines of Fig. 6, its phase histogram next to this run's (as fractions of neurons, so widths may
 * differ) and its test accuracy as a line.
 */
@Command(name = "plot", mixinStandardHelpOptions = true, description = "Plot a run's curves and Fourier measures.")
public final class PlotCommand implements Callable<Integer> {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final int MAX_POINTS = 1000;

    @Spec
    private picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "RUN_ID")
    private String runId;

    @Mixin
    private NodeOptions node;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: plots/<RUN_ID>)")
    private Path out;

    @Option(names = "--compare", paramLabel = "REF_RUN",
            description = "a reference run drawn beside this one (e.g. an analytic solution from grokscope analytic --save)")
    private String compare;

    @Option(names = "--class", paramLabel = "Q",
            description = "the output q of the function image |DFT2 out_q(n, m)| (Fig. 2; default grokscope.app.plot.function-class)")
    private Integer functionClass;

    @Override
    public Integer call() throws IOException {
        System.setProperty("java.awt.headless", "true");
        Config config = ConfigFactory.load();
        // the same IPR exponent and bins as replay and the live analyzers
        CheckpointAnalysis analysis = new CheckpointAnalysis(List.of("ipr", "phases"), config);
        int q = functionClass != null ? functionClass : AppSettings.create(config).plotFunctionClass();
        List<EpochMetrics> epochs = new ArrayList<>();
        List<CheckpointSaved> checkpoints = new ArrayList<>();
        RunSummary summary;
        RunSummary reference = null;
        Path dir = out != null ? out : Path.of("plots", runId);
        try (RunSystem n = node.openExisting(config)) {
            NodeOptions.requireRun(n, runId);
            summary = n.summary(runId);
            if (q < 0 || q >= summary.spec().p()) {
                throw new org.grokscope.protocol.SpecException(functionClass != null ? "--class"
                        : "grokscope.app.plot.function-class", "must be an output class in [0, "
                        + (summary.spec().p() - 1) + "], got " + q);
            }
            if (compare != null) {
                if (compare.equals(runId)) {
                    throw new org.grokscope.protocol.SpecException("--compare", "must name another run than "
                            + runId + " (a reference such as a saved analytic solution)");
                }
                NodeOptions.requireRun(n, compare, "--compare");
                reference = n.summary(compare);
                if (reference.lastCheckpoint() == null) {
                    throw new org.grokscope.protocol.SpecException("--compare", "run '" + compare + "' has no checkpoint");
                }
                if (reference.spec().p() != summary.spec().p()) {
                    // IPR and phase histograms are over p frequencies, and accuracy over p classes:
                    // a reference at another p is no ceiling for this run (widths may differ)
                    throw new org.grokscope.protocol.SpecException("--compare", "run '" + compare + "' has p = "
                            + reference.spec().p() + ", run '" + runId + "' has p = " + summary.spec().p()
                            + "; compare runs of the same p");
                }
            }
            for (RunEvent e : n.events(runId)) {
                if (e instanceof EpochCompleted ec) {
                    epochs.add(ec.metrics());
                } else if (e instanceof CheckpointSaved c) {
                    checkpoints.add(c);
                }
            }
        }
        OutputPaths.directory(dir, "--out");
        List<EpochMetrics> evaluated = epochs.stream().filter(EpochMetrics::evaluated).toList();
        GrokDetector d = GrokDetector.start(summary.spec().p());
        EventSettings events = EventSettings.create(config);
        for (EpochMetrics m : epochs) {
            d = d.next(m, events);
        }

        XYChart loss = xy("Loss — " + runId, "loss (log)");
        loss.getStyler().setYAxisLogarithmic(true);
        add(loss, "train", epochs, EpochMetrics::trainLoss);
        add(loss, "test", evaluated, EpochMetrics::testLoss);
        double low = epochs.stream().mapToDouble(EpochMetrics::trainLoss).filter(v -> v > 0).min().orElse(1e-6);
        double high = evaluated.stream().mapToDouble(EpochMetrics::testLoss).max().orElse(1.0);
        vertical(loss, "test-loss peak", d.lossPeak(), low, high);
        saveCurves(loss, dir.resolve("loss"));

        XYChart acc = xy("Accuracy — " + runId, "accuracy");
        add(acc, "train", epochs, EpochMetrics::trainAccuracy);
        add(acc, "test", evaluated, EpochMetrics::testAccuracy);
        vertical(acc, "t_fit", d.tFit(), 0, 1);
        vertical(acc, "t_onset", d.tOnset(), 0, 1);
        vertical(acc, "t_grok", d.tGrok(), 0, 1);
        if (reference != null && reference.lastEvaluated() != null && !epochs.isEmpty()) {
            horizontal(acc, "test " + compare, reference.lastEvaluated().testAccuracy(), epochs.get(0).epoch(),
                    epochs.get(epochs.size() - 1).epoch());
        }
        saveCurves(acc, dir.resolve("accuracy"));

        XYChart norms = xy("Weight and gradient norms — " + runId, "Frobenius norm (log)");
        norms.getStyler().setYAxisLogarithmic(true);
        add(norms, "|W1|", epochs, EpochMetrics::w1Norm);
        add(norms, "|W2|", epochs, EpochMetrics::w2Norm);
        add(norms, "|grad W1|", epochs, EpochMetrics::grad1Norm);
        add(norms, "|grad W2|", epochs, EpochMetrics::grad2Norm);
        saveCurves(norms, dir.resolve("norms"));

        if (!checkpoints.isEmpty()) {
            List<double[]> ipr = new ArrayList<>();
            FourierMeasures last = null;
            for (CheckpointSaved c : checkpoints) {
                last = FourierMeasures.of(c.p(), c.width(), c.w1(), c.w2(), analysis.r(), analysis.bins());
                ipr.add(new double[] {c.epoch(), last.iprU(), last.iprV(), last.iprW()});
            }
            XYChart iprChart = xy("IPR — " + runId, "mean IPR_" + analysis.r());
            for (int s = 1; s <= 3; s++) {
                int col = s;
                iprChart.addSeries(new String[] {"", "u", "v", "w"}[s], ipr.stream().mapToDouble(r -> r[0]).toArray(),
                        ipr.stream().mapToDouble(r -> r[col]).toArray()).setMarker(SeriesMarkers.CIRCLE);
            }
            FourierMeasures ref = null;
            if (reference != null) {
                CheckpointSaved rc = reference.lastCheckpoint();
                ref = FourierMeasures.of(rc.p(), rc.width(), rc.w1(), rc.w2(), analysis.r(), analysis.bins());
                double from = ipr.get(0)[0];
                double to = ipr.get(ipr.size() - 1)[0];
                horizontal(iprChart, "u " + compare, ref.iprU(), from, to);
                horizontal(iprChart, "v " + compare, ref.iprV(), from, to);
                horizontal(iprChart, "w " + compare, ref.iprW(), from, to);
            }
            saveCurves(iprChart, dir.resolve("ipr"));

            CategoryChart phases = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                    .title("Phase alignment φ1+φ2−φ3 at epoch " + checkpoints.get(checkpoints.size() - 1).epoch()
                            + String.format(java.util.Locale.ROOT, " (R = %.3f)", last.resultantLength()))
                    .xAxisTitle("residual (rad)").yAxisTitle(ref == null ? "neurons" : "fraction of neurons").build();
            int bins = last.histogram().length;
            List<String> labels = new ArrayList<>();
            List<Integer> counts = new ArrayList<>();
            for (int b = 0; b < bins; b++) {
                labels.add(String.format(java.util.Locale.ROOT, "%.2f", FourierMeasures.binCentre(b, bins)));
                counts.add(last.histogram()[b]);
            }
            phases.getStyler().setXAxisLabelRotation(90);
            if (ref == null) {
                phases.getStyler().setLegendVisible(false);
                phases.addSeries("neurons", labels, counts);
            } else if (ref.histogram().length != bins) {
                throw new IllegalStateException("histograms of different bin counts");
            } else {
                phases.addSeries(runId, labels, fractions(last.histogram()));
                phases.addSeries(compare, labels, fractions(ref.histogram()));
            }
            save(phases, dir.resolve("phases"));

            save(heatmap(checkpoints.get(checkpoints.size() - 1), last), dir.resolve("dft-heatmap"));
            save(functionImage(summary.spec(), checkpoints.get(checkpoints.size() - 1), q), dir.resolve("function-dft"));
        }
        command.commandLine().getOut().println("wrote plots of " + runId + " to " + dir + (checkpoints.isEmpty()
                ? " (loss, accuracy and norms only: the run has no checkpoint for the Fourier plots)" : ""));
        command.commandLine().getOut().flush();
        return 0;
    }

    /**
     * Fig. 2: |DFT2 out_q(n, m)| over (νn, νm) at a checkpoint, divided by its largest entry off
     * (0, 0); the constant term is left out (drawn as 0) because φ = h² gives it most of the energy.
     * A grokked addition network draws a line of peaks on νn = νm.
     */
    private static HeatMapChart functionImage(org.grokscope.protocol.RunSpec spec, CheckpointSaved c, int q) {
        Weights w = Weights.fromPaperLayout(ModelShape.of(spec), c.w1(), c.w2());
        double[][] mag = FunctionImage.magnitude(FunctionImage.outputs(w, q));
        int p = mag.length;
        mag[0][0] = 0.0;
        double max = 0.0;
        double energy = 0.0;
        double diagonal = 0.0;
        for (int u = 0; u < p; u++) {
            for (int v = 0; v < p; v++) {
                max = Math.max(max, mag[u][v]);
                energy += mag[u][v] * mag[u][v];
                diagonal += u == v ? mag[u][v] * mag[u][v] : 0.0;
            }
        }
        List<Number[]> cells = new ArrayList<>();
        List<Integer> axis = new ArrayList<>();
        for (int u = 0; u < p; u++) {
            axis.add(u);
            for (int v = 0; v < p; v++) {
                cells.add(new Number[] {v, u, max == 0 ? 0 : mag[u][v] / max});
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(java.util.Locale.ROOT, "|DFT2 out_%d(n, m)| at epoch %d: %.1f%% of the energy on νn = νm"
                        + " (constant term left out)", q, c.epoch(), energy == 0 ? 0.0 : 100 * diagonal / energy))
                .xAxisTitle("frequency along m").yAxisTitle("frequency along n").build();
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setShowValue(false);
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("|DFT2|", axis, axis, cells);
        sparseTicks(chart, p, p);
        return chart;
    }

    /** Tick labels a heat map can show legibly along one axis; more overprint each other. */
    private static final int MAX_TICK_LABELS = 25;

    /** Labels every k-th row and column only, k the smallest step that keeps them legible. */
    private static void sparseTicks(HeatMapChart chart, int columns, int rows) {
        int kx = Math.max(1, (columns + MAX_TICK_LABELS - 1) / MAX_TICK_LABELS);
        int ky = Math.max(1, (rows + MAX_TICK_LABELS - 1) / MAX_TICK_LABELS);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> Math.round(x) % kx == 0 ? Long.toString(Math.round(x)) : "");
        chart.getStyler().setyAxisTickLabelsFormattingFunction(y -> Math.round(y) % ky == 0 ? Long.toString(Math.round(y)) : "");
    }

    /** |ũ_k(ν)| / max for up to 128 neurons, sorted by dominant frequency so the structure shows. */
    private static HeatMapChart heatmap(CheckpointSaved c, FourierMeasures m) {
        int p = c.p();
        RealDft dft = new RealDft(p);
        int k2 = dft.frequencies();
        int shown = Math.min(128, c.width());
        Integer[] order = new Integer[c.width()];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(k -> m.dominant()[k]));
        double[] re = new double[k2];
        double[] im = new double[k2];
        List<Number[]> cells = new ArrayList<>();
        for (int row = 0; row < shown; row++) {
            // an even sample of the sorted neurons, so every frequency band is represented
            dft.transform(c.w1(), order[(int) ((long) row * c.width() / shown)] * 2 * p, 1, re, im);
            double max = 0;
            for (int f = 0; f < k2; f++) {
                max = Math.max(max, Math.hypot(re[f], im[f]));
            }
            for (int f = 0; f < k2; f++) {
                cells.add(new Number[] {f, row, max == 0 ? 0 : Math.hypot(re[f], im[f]) / max});
            }
        }
        int[] x = java.util.stream.IntStream.range(0, k2).toArray();
        int[] y = java.util.stream.IntStream.range(0, shown).toArray();
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT)
                .title("|DFT| of u_k at epoch " + c.epoch() + " (neurons sorted by dominant frequency)")
                .xAxisTitle("frequency ν").yAxisTitle("neuron").build();
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setShowValue(false);
        chart.getStyler().setLegendVisible(false);
        List<Integer> xs = new ArrayList<>();
        for (int v : x) {
            xs.add(v);
        }
        List<Integer> ys = new ArrayList<>();
        for (int v : y) {
            ys.add(v);
        }
        chart.addSeries("|DFT|", xs, ys, cells);
        sparseTicks(chart, k2, shown);
        return chart;
    }

    private static List<Double> fractions(int[] counts) {
        double total = java.util.Arrays.stream(counts).sum();
        List<Double> f = new ArrayList<>();
        for (int c : counts) {
            f.add(total == 0 ? 0.0 : c / total);
        }
        return f;
    }

    private static void horizontal(XYChart chart, String name, double y, double from, double to) {
        XYSeries s = chart.addSeries(name + String.format(java.util.Locale.ROOT, " = %.3f", y), new double[] {from, to},
                new double[] {y, y});
        s.setMarker(SeriesMarkers.NONE);
    }

    /** Saves a chart over epochs with {@link #roundTicks}. */
    private static void saveCurves(XYChart chart, Path base) throws IOException {
        roundTicks(chart);
        save(chart, base);
    }

    /**
     * XChart ticks every data point when the x values form one equally spaced grid (epochs 1, 2,
     * 3 ...), which runs the labels together; a hidden point between the first two x values,
     * added last so it takes no series' colour, gives round-number ticks and moves no axis end.
     */
    private static void roundTicks(XYChart chart) {
        java.util.TreeSet<Double> xs = new java.util.TreeSet<>();
        for (XYSeries series : chart.getSeriesMap().values()) {
            for (double x : series.getXData()) {
                xs.add(x);
            }
        }
        if (xs.size() < 3) {
            return;
        }
        java.util.Iterator<Double> first = xs.iterator();
        double between = (first.next() + first.next()) / 2;
        XYSeries offGrid = chart.addSeries("\u200b", new double[] {between}, new double[] {Double.NaN});
        offGrid.setShowInLegend(false);
    }

    private static XYChart xy(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setMarkerSize(0);
        return chart;
    }

    /** Plots at most MAX_POINTS points a series (every k-th epoch, the last always), so SVGs stay small. */
    private static void add(XYChart chart, String name, List<EpochMetrics> rows, ToDoubleFunction<EpochMetrics> y) {
        if (rows.isEmpty()) {
            return;
        }
        int step = Math.max(1, (rows.size() + MAX_POINTS - 1) / MAX_POINTS);
        List<EpochMetrics> thin = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += step) {
            thin.add(rows.get(i));
        }
        if (thin.get(thin.size() - 1) != rows.get(rows.size() - 1)) {
            thin.add(rows.get(rows.size() - 1));
        }
        // a diverged run's last epochs are infinite: drawn as a gap, as NaN is, since XChart rejects ±Inf
        chart.addSeries(name, thin.stream().mapToDouble(EpochMetrics::epoch).toArray(),
                thin.stream().mapToDouble(y).map(v -> Double.isFinite(v) ? v : Double.NaN).toArray());
    }

    private static void vertical(XYChart chart, String name, int epoch, double from, double to) {
        if (epoch > 0) {
            XYSeries s = chart.addSeries(name + " = " + epoch, new double[] {epoch, epoch}, new double[] {from, to});
            s.setMarker(SeriesMarkers.NONE);
        }
    }

    /** Writes base.png and base.svg. */
    static void save(Chart<?, ?> chart, Path base) throws IOException {
        BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }
}
