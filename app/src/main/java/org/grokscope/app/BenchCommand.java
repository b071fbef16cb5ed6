package org.grokscope.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.MemoryEstimate;
import org.grokscope.compute.backend.Backends;
import org.grokscope.compute.backend.BatchStats;
import org.grokscope.compute.backend.Blas;
import org.grokscope.compute.backend.CpuBackend;
import org.grokscope.compute.backend.HostCpu;
import org.grokscope.compute.backend.opencl.OpenClBackend;
import org.grokscope.compute.backend.opencl.OpenClBatch;
import org.grokscope.compute.backend.opencl.OpenClEngine;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.Optimizer;
import org.grokscope.compute.task.Split;
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
 * With {@code --batch R1,R2,..} it times the OpenCL backend stepping R runs per launch instead and
 * prints the aggregate run-epochs per second for each R.
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
            description = "backends to measure: cpu, opencl, naive, auto (default: ${DEFAULT-VALUE}); "
                    + "--backend X (the spec field) measures X alone")
    private List<String> backends;

    @Option(names = "--batch", split = ",", paramLabel = "R",
            description = "OpenCL only: step R runs of the spec (init seeds seed..seed+R-1) per launch, for each R "
                    + "given, and print aggregate run-epochs/s, e.g. --batch 1,8,64")
    private List<Integer> batchSizes;

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
            // it times whole runs of the spec's epochs, train against run; these flags would do nothing
            for (String ignored : List.of("--backends", "--batch", "--timed-epochs")) {
                if (command.commandLine().getParseResult().hasMatchedOption(ignored)) {
                    throw new SpecException(ignored, "does not apply with --journal, which times whole runs of the "
                            + "spec's epochs on its backend (use --epochs and --backend)");
                }
            }
            return JournalBench.run(command.commandLine().getOut(), spec, specFile, config, compute);
        }
        // --backend is the spec's field: given on the command line it names the one backend to measure
        List<BackendKind> kinds = specOptions.backend != null ? List.of(spec.backend())
                : backends.stream().map(b -> BackendKind.parse("--backends", b.strip())).toList();
        PrintWriter out = command.commandLine().getOut();
        if (batchSizes != null) {
            return batched(out, spec, app, compute, kinds);
        }
        out.printf(Locale.ROOT, "grokscope bench %s, code %s%n", specFile == null ? "(defaults)" : specFile,
                CodeVersion.get());
        out.printf(Locale.ROOT, "task %s p=%d alpha=%s N=%d %s %s, %s%n", spec.task(), spec.p(), spec.alpha(),
                spec.width(), spec.activation().specName(), spec.loss().specName(), spec.optimizer().kind().specName());
        out.printf(Locale.ROOT, "BLAS: %s; worker threads %d, lanes %d, tile rows %d; %d cores; Java %s%n",
                Blas.describe(), compute.threads(), compute.lanes(), compute.tileRows(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        out.printf(Locale.ROOT, "CPU: %s%n", HostCpu.describe());
        out.println();
        out.println("| backend | device | epochs timed | epochs/s, median of blocks (min–max) | ms/epoch | GEMM GFLOP/s |");
        out.println("|---|---|---|---|---|---|");
        out.flush();
        double first = Double.NaN;
        StringBuilder ratios = new StringBuilder();
        StringBuilder gemmBound = new StringBuilder();
        int referenceBatch = 0;
        for (BackendKind kind : kinds) {
            boolean naive = kind == BackendKind.NAIVE;
            RunSpec s = spec.withBackend(kind);
            try (TrainingRun run = TrainingRun.create(s, compute)) {
                boolean opencl = run.backend().name().equals(BackendKind.OPENCL.specName());
                int timed = naive ? app.benchNaiveEpochs()
                        : epochs != null ? epochs : opencl ? app.benchOpenClEpochs() : app.benchEpochs();
                int warmup = naive ? 1 : opencl ? app.benchOpenClWarmup() : app.benchWarmup();
                int batch = run.split().train().size();
                // three GEMMs of p·N·B multiply-adds each per full-batch step
                double flop = 3.0 * 2.0 * spec.p() * spec.width() * batch;
                // fewer epochs than blocks: one epoch per block, so exactly the epochs asked for are timed
                int blocks = naive ? 1 : Math.min(timed, app.benchRepetitions());
                Runnable step = () -> run.engine().step(null);
                double rate;
                if (kind == BackendKind.CPU) {
                    // the same sgemm calls without the rest of the step: what the BLAS allows here. Their
                    // blocks alternate with the step's, so both see the same minutes of a shared host.
                    double[][] rates = timeBlocks(List.of(step, CpuBackend.gemmsOnly(run.engine())), warmup,
                            timed, blocks);
                    rate = printRow(out, kind.specName(), run.backend().device(), rates[0], timed, flop);
                    double gemms = printRow(out, "cpu, GEMMs only", "the step's sgemm calls (same lanes, tiles, "
                            + "threads), nothing else", rates[1], timed, flop);
                    gemmBound.append(String.format(Locale.ROOT,
                            "cpu step / its GEMMs alone = %.2f (everything else in the step costs %.0f%% on top)%n",
                            rate / gemms, 100.0 * (gemms / rate - 1.0)));
                    referenceBatch = batch;
                } else {
                    rate = printRow(out, kind.specName(), run.backend().device(),
                            timeBlocks(List.of(step), warmup, timed, blocks)[0], timed, flop);
                }
                if (run.engine() instanceof OpenClEngine cl) {
                    out.println("|  | " + cl.deviceReport() + " |  |  |  |  |");
                }
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
        if (gemmBound.length() > 0) {
            // after the run is closed, so no worker thread of the engine competes with OpenBLAS's
            gemmBound.append(referenceGemm(spec, referenceBatch, compute.threads(), app.benchReferenceCalls()));
            out.println();
            out.print(gemmBound);
        }
        out.flush();
        return 0;
    }

    /**
     * Warms up each step, then times {@code timed} epochs of each in {@code blocks} rounds (block
     * sizes differ by at most one), one block of each per round, so that when several are compared
     * they share the host's fast and slow minutes. Returns, per step, its blocks' epochs/s sorted
     * ascending.
     */
    private static double[][] timeBlocks(List<Runnable> steps, int warmup, int timed, int blocks) {
        for (Runnable step : steps) {
            for (int i = 0; i < warmup; i++) {
                step.run();
            }
        }
        double[][] rates = new double[steps.size()][blocks];
        for (int k = 0; k < blocks; k++) {
            int perBlock = timed / blocks + (k < timed % blocks ? 1 : 0);
            for (int s = 0; s < steps.size(); s++) {
                Runnable step = steps.get(s);
                long t0 = System.nanoTime();
                for (int i = 0; i < perBlock; i++) {
                    step.run();
                }
                rates[s][k] = perBlock / ((System.nanoTime() - t0) / 1e9);
            }
        }
        for (double[] r : rates) {
            Arrays.sort(r);
        }
        return rates;
    }

    /**
     * Prints one table row and returns the median block's epochs/s, which one hiccup of a shared
     * machine moves least.
     */
    private static double printRow(PrintWriter out, String name, String device, double[] sortedRates, int timedEpochs,
                                   double flopPerStep) {
        int blocks = sortedRates.length;
        double rate = sortedRates[blocks / 2];
        out.printf(Locale.ROOT, "| %s | %s | %d | %.1f (%.1f–%.1f) | %.2f | %.1f |%n", name, device, timedEpochs,
                rate, sortedRates[0], sortedRates[blocks - 1], 1000.0 / rate, flopPerStep * rate / 1e9);
        out.flush();
        return rate;
    }

    /**
     * The host's plain sgemm speed today: the forward GEMM of the whole batch as one call on
     * OpenBLAS's own threads, the shape the project's compute notes quote. It tells a reader whether
     * this minute's machine is the one a target was measured on.
     */
    private static String referenceGemm(RunSpec spec, int batch, int threads, int calls) {
        double gflops = Blas.referenceGflops(spec.p(), batch, spec.width(), threads, calls);
        return String.format(Locale.ROOT, "reference: one OpenBLAS sgemm (%d×%d)·(%d×%d) on %d OpenBLAS threads "
                + "= %.1f GFLOP/s%n", spec.p(), spec.width(), spec.width(), batch, threads, gflops);
    }

    /** R runs of the spec per launch on the OpenCL backend, for each requested R. */
    private int batched(PrintWriter out, RunSpec spec, AppSettings app, ComputeSettings compute, List<BackendKind> kinds) {
        if (!kinds.equals(List.of(BackendKind.OPENCL))) {
            throw new SpecException("--batch", "batched runs are an OpenCL feature: use it with --backend opencl, got "
                    + kinds.stream().map(BackendKind::specName).toList());
        }
        for (int r : batchSizes) {
            if (r < 1) {
                throw new SpecException("--batch", "batch sizes must be at least 1, got " + r);
            }
        }
        Split split = Split.of(spec);
        int batch = split.train().size();
        long heap = Runtime.getRuntime().maxMemory();
        for (int r : batchSizes) {
            long need = MemoryEstimate.batchBytes(spec, r, batch);
            if (need > heap) {
                throw new SpecException("--batch", String.format(Locale.ROOT, "%d runs of this spec need about %.1f GiB"
                        + " of host memory, more than the %.1f GiB this JVM may use: give smaller batch sizes", r,
                        need / 1073741824.0, heap / 1073741824.0));
            }
        }
        OpenClBackend backend = (OpenClBackend) Backends.create(BackendKind.OPENCL, compute);
        ModelShape shape = ModelShape.of(spec);
        out.printf(Locale.ROOT, "grokscope bench --batch %s, code %s%n", specFile == null ? "(defaults)" : specFile,
                CodeVersion.get());
        out.printf(Locale.ROOT, "task %s p=%d alpha=%s N=%d %s %s, %s; R runs with init seeds %d..%d+R-1, full batch%n",
                spec.task(), spec.p(), spec.alpha(), spec.width(), spec.activation().specName(),
                spec.loss().specName(), spec.optimizer().kind().specName(), spec.initSeed(), spec.initSeed());
        out.println("device: " + backend.device());
        out.println();
        out.println("| runs R | steps timed | aggregate run-epochs/s | epochs/s per run | ms per step of R runs | GEMM GFLOP/s |");
        out.println("|---|---|---|---|---|---|");
        out.flush();
        double single = Double.NaN;
        StringBuilder ratios = new StringBuilder();
        String report = "";
        for (int r : batchSizes) {
            List<OpenClBatch.Member> members = new ArrayList<>();
            for (int i = 0; i < r; i++) {
                members.add(new OpenClBatch.Member(Weights.init(shape, spec.initSeed() + i),
                        new Optimizer(spec.optimizer()), split.train()));
            }
            int steps = epochs != null ? epochs : Math.max(1, app.benchBatchRunEpochs() / r);
            try (OpenClBatch b = backend.openBatch(members)) {
                BatchStats[] warm = b.step();
                if (!warm[0].finite()) {
                    out.println("warning: the first step gave a non-finite loss");
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    b.step();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                double aggregate = (double) r * steps / seconds;
                double gflops = 3.0 * 2.0 * spec.p() * spec.width() * batch * aggregate / 1e9;
                out.printf(Locale.ROOT, "| %d | %d | %.2f | %.3f | %.1f | %.1f |%n", r, steps, aggregate, aggregate / r,
                        1000.0 * seconds / steps, gflops);
                out.flush();
                report = b.deviceReport();
                if (Double.isNaN(single)) {
                    single = aggregate;
                } else {
                    ratios.append(String.format(Locale.ROOT, "R=%d/R=%d = %.2fx  ", r, batchSizes.get(0),
                            aggregate / single));
                }
            }
        }
        out.println();
        out.println("kernels: " + report);
        if (ratios.length() > 0) {
            out.println("aggregate speed-up over the first R (same device, same process): " + ratios.toString().strip());
        }
        out.flush();
        return 0;
    }
}
