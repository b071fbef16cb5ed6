package org.grokscope.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.backend.Blas;
import org.grokscope.compute.train.TrainingRun;
import org.grokscope.protocol.BackendKind;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code grokscope bench}: epochs per second of the training step (forward, backward, update; no
 * evaluation, no I/O) for each backend on one spec, measured in one process so the ratios hold.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure epochs/s of the training step per backend.")
public final class BenchCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC.conf", description = "HOCON run spec")
    private Path specFile;

    @Mixin
    private SpecOptions specOptions;

    @Option(names = "--backends", split = ",", defaultValue = "cpu,naive",
            description = "backends to measure (default: ${DEFAULT-VALUE})")
    private List<String> backends;

    @Option(names = "--timed-epochs", paramLabel = "K", description = "timed epochs per backend (naive: bench.naive-epochs)")
    private Integer epochs;

    @Mixin
    private ComputeOptions computeOptions;

    @Option(names = "--journal", description = "compare a whole run without a journal (train) and through "
            + "the supervisor and LevelDB journal (run)")
    private boolean journal;

    @Override
    public Integer call() {
        RunSpec spec = specOptions.resolve(specFile);
        Config config = ConfigFactory.load();
        AppSettings app = AppSettings.create(config);
        ComputeSettings compute = computeOptions.resolve(config);
        if (epochs != null && epochs < 1) {
            throw new SpecException("--timed-epochs", "must be at least 1, got " + epochs);
        }
        if (journal) {
            return JournalBench.run(command.commandLine().getOut(), spec, specFile, config, compute);
        }
        List<BackendKind> kinds = backends.stream().map(b -> BackendKind.parse("--backends", b.strip())).toList();
        PrintWriter out = command.commandLine().getOut();
        out.printf(Locale.ROOT, "grokscope bench %s, code %s%n", specFile == null ? "(defaults)" : specFile,
                CodeVersion.get());
        out.printf(Locale.ROOT, "task %s p=%d alpha=%s N=%d %s %s, %s%n", spec.task(), spec.p(), spec.alpha(),
                spec.width(), spec.activation().specName(), spec.loss().specName(), spec.optimizer().kind().specName());
        out.printf(Locale.ROOT, "BLAS: %s; worker threads %d, lanes %d, tile rows %d; %d cores; Java %s%n",
                Blas.describe(), compute.threads(), compute.lanes(), compute.tileRows(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        out.println();
        out.println("| backend | device | epochs timed | epochs/s, median of blocks (min–max) | ms/epoch | GEMM GFLOP/s |");
        out.println("|---|---|---|---|---|---|");
        out.flush();
        double first = Double.NaN;
        StringBuilder ratios = new StringBuilder();
        for (BackendKind kind : kinds) {
            boolean naive = kind == BackendKind.NAIVE;
            int timed = naive ? app.benchNaiveEpochs() : (epochs != null ? epochs : app.benchEpochs());
            int warmup = naive ? 1 : app.benchWarmup();
            RunSpec s = spec.withBackend(kind);
            try (TrainingRun run = TrainingRun.create(s, compute)) {
                int batch = run.split().train().size();
                for (int i = 0; i < warmup; i++) {
                    run.engine().step(null);
                }
                // the median of several timed blocks: one hiccup of a shared machine moves it least
                int blocks = naive ? 1 : app.benchRepetitions();
                int perBlock = Math.max(1, timed / blocks);
                double[] rates = new double[blocks];
                for (int k = 0; k < blocks; k++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < perBlock; i++) {
                        run.engine().step(null);
                    }
                    rates[k] = perBlock / ((System.nanoTime() - t0) / 1e9);
                }
                double[] sorted = rates.clone();
                java.util.Arrays.sort(sorted);
                double rate = sorted[blocks / 2];
                timed = perBlock * blocks;
                // three GEMMs of p·N·B multiply-adds each per full-batch step
                double gflops = 3.0 * 2.0 * spec.p() * spec.width() * batch * rate / 1e9;
                out.printf(Locale.ROOT, "| %s | %s | %d | %.1f (%.1f–%.1f) | %.2f | %.1f |%n", kind.specName(),
                        run.backend().device(), timed, rate, sorted[0], sorted[blocks - 1], 1000.0 / rate, gflops);
                out.flush();
                if (Double.isNaN(first)) {
                    first = rate;
                } else {
                    ratios.append(String.format(Locale.ROOT, "%s/%s = %.1fx  ", kinds.get(0).specName(),
                            kind.specName(), first / rate));
                }
            }
        }
        if (ratios.length() > 0) {
            out.println();
            out.println("speed ratios (same run, same machine): " + ratios.toString().strip());
        }
        out.flush();
        return 0;
    }
}
