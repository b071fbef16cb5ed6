package org.grokscope.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.MemoryEstimate;
import org.grokscope.compute.train.EventSettings;
import org.grokscope.compute.train.GrokkingEvents;
import org.grokscope.compute.train.TrainingRun;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunSpecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code grokscope train}: one run in this process, no journal. Shows progress, writes the curve
 * as CSV beside the resolved spec, and ends with t_fit and t_grok.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one run in-process and write its curve as CSV.")
public final class TrainCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC.conf", description = "HOCON run spec")
    private Path specFile;

    @Mixin
    private SpecOptions specOptions;

    @Option(names = "--out", paramLabel = "CSV", description = "curve file (default: <out-dir>/<spec name>.csv)")
    private Path out;

    @Mixin
    private ComputeOptions computeOptions;

    @Option(names = "--no-progress", description = "no progress bar")
    private boolean noProgress;

    @Override
    public Integer call() throws IOException {
        RunSpec spec = specOptions.resolve(specFile);
        Config config = ConfigFactory.load();
        AppSettings app = AppSettings.create(config);
        ComputeSettings compute = computeOptions.resolve(config);
        MemoryEstimate.check(spec, compute, Runtime.getRuntime().maxMemory());
        Path csv = out != null ? out : Path.of(app.outDir(), runName() + ".csv");
        PrintWriter stdout = command.commandLine().getOut();
        PrintWriter stderr = command.commandLine().getErr();
        GrokkingEvents events = new GrokkingEvents(EventSettings.create(config), spec.p());
        EpochMetrics last = null;
        EpochMetrics lastEvaluated = null;
        try (TrainingRun run = TrainingRun.create(spec, compute);
             CurveWriter curve = CurveWriter.open(csv);
             Progress progress = noProgress ? Progress.none() : Progress.create(stderr, app, spec.epochs())) {
            writeSpec(csv, spec, run.backend().device());
            stdout.printf(Locale.ROOT, "%s: p=%d alpha=%s N=%d %s, %s on %s (%d train / %d test pairs)%n",
                    run.task().name(), spec.p(), spec.alpha(), spec.width(), spec.activation().specName(),
                    spec.optimizer().kind().specName(), run.backend().device(), run.split().train().size(),
                    run.split().test().size());
            stdout.flush();
            for (int e = 1; e <= spec.epochs(); e++) {
                EpochMetrics m = run.runEpoch();
                events.accept(m);
                curve.write(m);
                last = m;
                if (m.evaluated()) {
                    lastEvaluated = m;
                }
                progress.update(m, lastEvaluated);
                if (org.grokscope.compute.train.Divergence.of(m)) {
                    stdout.printf(Locale.ROOT, "diverged at epoch %d: %s%n", e,
                            org.grokscope.compute.train.Divergence.describe(m));
                    return Main.FAILURE;
                }
            }
        }
        stdout.printf(Locale.ROOT, "final: epoch %d  train acc %.4f loss %.3g  test acc %.4f loss %.3g%n",
                last.epoch(), last.trainAccuracy(), last.trainLoss(), lastEvaluated.testAccuracy(),
                lastEvaluated.testLoss());
        stdout.println("t_fit = " + describe(events.tFit()) + ", t_grok = " + describe(events.tGrok())
                + (events.tFit() > 0 && events.tGrok() > 0 ? " (delay " + (events.tGrok() - events.tFit()) + ")" : ""));
        stdout.println("t_onset = " + describe(events.tOnset()) + ", test-loss peak "
                + (events.testLossPeak() > 0 ? "at epoch " + events.testLossPeak() : "not found"));
        stdout.println("curve: " + csv);
        stdout.flush();
        return 0;
    }

    private String runName() {
        return specFile == null ? "run" : SpecOptions.baseName(specFile);
    }

    private static String describe(int epoch) {
        return epoch > 0 ? Integer.toString(epoch) : "not reached";
    }

    /** The resolved spec, seeds and code version beside the curve: a curve is never orphaned. */
    private static void writeSpec(Path csv, RunSpec spec, String device) {
        String name = csv.getFileName().toString();
        String base = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        Path file = csv.resolveSibling(base + ".spec.conf");
        String text = "# written by grokscope train, code version " + CodeVersion.get() + "\n# backend device: "
                + device + "\n" + RunSpecs.render(spec) + "\n";
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + OutputPaths.reason(e), e);
        }
    }
}
