package org.grokscope.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.grokscope.actors.RunSystem;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.analytic.AnalyticRun;
import org.grokscope.compute.analytic.AnalyticSettings;
import org.grokscope.compute.analytic.AnalyticSolutions;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.analytic.Decomposition;
import org.grokscope.compute.analytic.Decompositions;
import org.grokscope.compute.task.Tasks;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunSpecs;
import org.grokscope.protocol.SpecException;
import org.grokscope.protocol.events.CheckpointSaved;
import org.grokscope.protocol.events.OptimizerCheckpoint;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code grokscope analytic}: Gromov's analytic weights for a task (SCIENCE.md §7) scored over all
 * pairs, as a table of accuracy (mean ± sd over phase seeds) per width and activation (Fig. 4b,
 * Fig. 5), optionally drawn ({@code --plot}) and journaled as a completed run ({@code --save}) that
 * replay, plot and export read like a trained one.
 */
@Command(name = "analytic", mixinStandardHelpOptions = true,
        description = "Accuracy of the analytic solution against width; save it as a run.")
public final class AnalyticCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec command;

    @Option(names = "--task", description = "built-in task or expression in n, m (default: the spec default)")
    private String task;

    @Option(names = "--p", description = "modulus")
    private String p;

    @Option(names = "--widths", split = ",", paramLabel = "N,...",
            description = "widths (default: grokscope.app.analytic.widths)")
    private List<String> widths;

    @Option(names = "--activation", split = ",", paramLabel = "PHI,...",
            description = "activations, e.g. quad,relu,gelu (default: grokscope.app.analytic.activations)")
    private List<String> activations;

    /** A standard error over this many phase seeds is already far below any difference worth plotting. */
    static final int MAX_SEEDS = 10_000;

    @Option(names = "--seeds", paramLabel = "K", description = "phase seeds per cell (default: grokscope.app.analytic.seeds)")
    private Integer seeds;

    @Option(names = "--seed", paramLabel = "S", description = "first phase seed (default: the spec's init-seed)")
    private String seed;

    @Option(names = "--alpha", description = "training fraction of the train/test metrics a saved run records")
    private String alpha;

    @Option(names = "--split-seed", description = "seed of that split")
    private String splitSeed;

    @Option(names = "--parametrization", description = "mean-field or standard")
    private String parametrization;

    @Option(names = "--loss", description = "mse or cse (the loss reported for a saved run)")
    private String loss;

    @Option(names = "--readout", description = "one-branch (the paper's Corollary) or all-branches"
            + " (default: grokscope.analytic.readout)")
    private String readout;

    @Option(names = "--amplitude", paramLabel = "A", description = "scale of W1 (default: grokscope.analytic.w1-amplitude)")
    private Double amplitude;

    @Option(names = "--plot", paramLabel = "FILE.png|FILE.svg", description = "draw accuracy against width per activation")
    private Path plot;

    @Option(names = "--save", paramLabel = "RUN_ID",
            description = "journal the solution (one width, one activation, the first seed) as a completed run under --data")
    private String save;

    @Mixin
    private NodeOptions node;

    /** What the options ask for, validated before anything is computed or written. */
    private record Plan(List<Integer> widths, List<String> activations, int seeds, AnalyticSettings settings,
                        RunSpec base, Decomposition decomposition, Map<String, List<RunSpec>> cells) {
    }

    @Override
    public Integer call() throws IOException {
        Config config = ConfigFactory.load();
        Plan plan = plan(config);
        if (save == null) {
            return table(config, plan, null);
        }
        // the data directory is held (and the id checked) before the work, so a taken id costs nothing
        try (RunSystem n = node.open(config, 1)) {
            if (n.runIds().contains(save)) {
                throw new SpecException("--save", "run '" + save + "' already exists in " + n.dataDir());
            }
            return table(config, plan, n);
        }
    }

    private Plan plan(Config config) {
        Config defaults = config.getConfig("grokscope.app.analytic");
        List<Integer> ns = widths != null ? parseWidths(widths) : defaults.getIntList("widths");
        List<String> acts = activations != null ? activations.stream().map(String::strip).toList()
                : defaults.getStringList("activations");
        int k = seeds != null ? seeds : defaults.getInt("seeds");
        if (k < 1 || k > MAX_SEEDS) {
            throw new SpecException("--seeds", "must be in [1, " + MAX_SEEDS + "], got " + k);
        }
        if (plot != null && !(plot.toString().endsWith(".png") || plot.toString().endsWith(".svg"))) {
            throw new SpecException("--plot", "must name a .png or .svg file, got " + plot);
        }
        if (plot != null) {
            // before the table is computed, so a bad path costs nothing
            OutputPaths.parentOf(plot, "--plot");
            if (java.nio.file.Files.isDirectory(plot)) {
                throw new SpecException("--plot", plot + " is a directory; name a .png or .svg file");
            }
        }
        if (save != null && !save.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new SpecException("--save", "use letters, digits, '.', '_' and '-' (at most 100), got '" + save + "'");
        }
        if (save != null && (ns.size() != 1 || acts.size() != 1)) {
            throw new SpecException("--save", "records one solution: give one width and one activation, got "
                    + ns.size() + " widths and " + acts.size() + " activations");
        }
        AnalyticSettings settings = AnalyticSettings.create(config);
        if (readout != null) {
            settings = settings.withReadout(AnalyticSettings.Readout.parse("--readout", readout));
        }
        if (amplitude != null) {
            if (!(amplitude > 0) || amplitude.isInfinite()) {
                throw new SpecException("--amplitude", "must be a positive number, got " + amplitude);
            }
            settings = settings.withW1Amplitude(amplitude);
        }
        RunSpec base = spec(ns.get(0), acts.get(0), null);
        Decomposition d = Decompositions.find(Tasks.parse(base.task(), base.p()));
        Map<String, List<RunSpec>> cells = new LinkedHashMap<>();
        int narrowest = ns.stream().mapToInt(Integer::intValue).min().orElseThrow();
        for (String act : acts) {
            for (int n : ns) {
                List<RunSpec> specs = new ArrayList<>();
                for (int s = 0; s < k; s++) {
                    specs.add(spec(n, act, base.initSeed() + s));
                }
                cells.put(act + "/" + n, specs);
            }
            // a width too small for the detectors, or an activation without a readout, fails here, before the table
            AnalyticSolutions.build(d, ModelShape.of(spec(narrowest, act, null)), base.initSeed(), settings);
        }
        return new Plan(ns, acts, k, settings, base, d, cells);
    }

    private int table(Config config, Plan plan, RunSystem journal) throws IOException {
        List<Integer> ns = plan.widths();
        List<String> acts = plan.activations();
        int k = plan.seeds();
        AnalyticSettings settings = plan.settings();
        RunSpec base = plan.base();
        Decomposition d = plan.decomposition();
        Map<String, List<RunSpec>> cells = plan.cells();
        ComputeSettings compute = ComputeSettings.create(config);
        PrintWriter out = command.commandLine().getOut();
        out.printf(Locale.ROOT, "analytic solution of %s, p=%d: %s%n", base.task(), base.p(), d.form());
        out.printf(Locale.ROOT, "accuracy over all %d pairs, mean ± sd over %d phase seeds from %d, readout %s, W1 amplitude %s%n",
                (long) base.p() * base.p(), k, base.initSeed(), settings.readout().specName(), settings.w1Amplitude());
        out.printf(Locale.ROOT, "%8s", "width");
        for (String act : acts) {
            out.printf(Locale.ROOT, "  %-17s", act);
        }
        out.println();
        Map<String, double[]> stats = new LinkedHashMap<>();
        AnalyticRun first = null;
        for (int n : ns) {
            out.printf(Locale.ROOT, "%8d", n);
            for (String act : acts) {
                double[] acc = new double[k];
                List<RunSpec> specs = cells.get(act + "/" + n);
                for (int s = 0; s < k; s++) {
                    AnalyticRun run = AnalyticRun.create(specs.get(s), d, settings, compute);
                    acc[s] = run.accuracy();
                    if (first == null) {
                        first = run;
                    }
                }
                double[] ms = meanSd(acc);
                stats.put(act + "/" + n, ms);
                out.printf(Locale.ROOT, "  %.4f ± %.4f   ", ms[0], ms[1]);
            }
            out.println();
            out.flush();
        }
        if (plot != null) {
            drawPlot(base, d, acts, ns, stats, k);
            out.println("wrote " + plot);
        }
        if (save != null) {
            Path dir = record(journal, first);
            String where = node.dataArgument();
            out.printf(Locale.ROOT, "saved as run %s in %s (%s, N=%d, seed %d): grokscope plot %s%s, grokscope replay %s%s%n",
                    save, dir, first.spec().activation().specName(), first.spec().width(),
                    first.spec().initSeed(), save, where, save, where);
        }
        out.flush();
        return 0;
    }

    private static List<Integer> parseWidths(List<String> raw) {
        List<Integer> ns = new ArrayList<>();
        for (String w : raw) {
            int n;
            try {
                n = Integer.parseInt(w.strip());
            } catch (NumberFormatException e) {
                throw new SpecException("--widths", "expected comma-separated integers, got '" + w + "'");
            }
            if (n < 1 || n > RunSpec.MAX_WIDTH) {
                throw new SpecException("--widths", "each width must be in [1, " + RunSpec.MAX_WIDTH + "], got " + n);
            }
            ns.add(n);
        }
        return ns;
    }

    /** The spec of one cell through the usual spec reader, so its fields are checked the same way. */
    private RunSpec spec(int width, String activation, Long initSeed) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "task", task);
        put(m, "p", p);
        put(m, "alpha", alpha);
        put(m, "split-seed", splitSeed);
        put(m, "init-seed", initSeed != null ? initSeed.toString() : seed);
        put(m, "parametrization", parametrization);
        put(m, "loss", loss);
        m.put("width", width);
        m.put("activation", activation);
        try {
            return AnalyticRun.analyticSpec(RunSpecs.fromConfig(ConfigFactory.parseMap(m, "command-line flags")));
        } catch (ConfigException e) {
            throw new SpecException("analytic", Main.oneLine(e.getMessage()));
        }
    }

    private static void put(Map<String, Object> m, String path, String value) {
        if (value != null) {
            m.put(path, value);
        }
    }

    static double[] meanSd(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] {mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0.0};
    }

    private Path record(RunSystem n, AnalyticRun run) {
        float[] empty1 = new float[0];
        CheckpointSaved cp = new CheckpointSaved(run.metrics().epoch(), run.spec().p(), run.spec().width(),
                run.weights().w1(), run.weights().w2(), new OptimizerCheckpoint(0, empty1, empty1, empty1, empty1));
        String refused = n.recordCompleted(save, run.spec(), run.metrics(), cp);
        if (refused != null) {
            throw new SpecException("--save", refused);
        }
        // a recorded run never had live followers: let them read it now, so its export carries
        // the same analyses as a trained run's
        n.catchUp(save);
        return n.dataDir();
    }

    private void drawPlot(RunSpec base, Decomposition d, List<String> acts, List<Integer> ns, Map<String, double[]> stats,
                          int k) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Analytic solution of " + base.task() + ", p = " + base.p() + " (mean ± sd over " + k + " seeds)")
                .xAxisTitle("width N").yAxisTitle("accuracy over all pairs").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        double[] x = ns.stream().mapToDouble(Integer::doubleValue).toArray();
        for (String act : acts) {
            double[] y = new double[ns.size()];
            double[] e = new double[ns.size()];
            for (int i = 0; i < ns.size(); i++) {
                double[] ms = stats.get(act + "/" + ns.get(i));
                y[i] = ms[0];
                e[i] = ms[1];
            }
            chart.addSeries(Activation.parse("activation", act).specName(), x, y, e).setMarker(SeriesMarkers.CIRCLE);
        }
        OutputPaths.parentOf(plot, "--plot");
        String name = plot.toString();
        String stem = name.substring(0, name.length() - 4);
        try {
            if (name.endsWith(".png")) {
                BitmapEncoder.saveBitmap(chart, stem, BitmapEncoder.BitmapFormat.PNG);
            } else {
                VectorGraphicsEncoder.saveVectorGraphic(chart, stem, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            }
        } catch (java.io.IOException e) {
            throw new SpecException("--plot", "cannot write " + plot + ": " + OutputPaths.reason(e));
        }
    }
}
