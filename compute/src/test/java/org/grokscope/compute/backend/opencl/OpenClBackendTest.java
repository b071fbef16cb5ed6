package org.grokscope.compute.backend.opencl;

import static org.grokscope.compute.backend.EngineAssertions.assertGradientsClose;
import static org.grokscope.compute.backend.EngineAssertions.assertStatsClose;
import static org.grokscope.compute.backend.EngineAssertions.norm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aparapi.device.OpenCLDevice;
import java.util.ArrayList;
import java.util.List;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.backend.Backend;
import org.grokscope.compute.backend.Backends;
import org.grokscope.compute.backend.BatchStats;
import org.grokscope.compute.backend.NaiveBackend;
import org.grokscope.compute.backend.TrainingEngine;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.Optimizer;
import org.grokscope.compute.optim.OptimizerState;
import org.grokscope.compute.rng.SplitMix64;
import org.grokscope.compute.task.Dataset;
import org.grokscope.compute.task.Split;
import org.grokscope.compute.task.Tasks;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.BackendKind;
import org.grokscope.protocol.LossKind;
import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.OptimizerSpec;
import org.grokscope.protocol.Parametrization;
import org.junit.jupiter.api.Test;

/**
 * The OpenCL engine and batch as a whole: gradients and evaluation against the naive double
 * backend, a batch of R runs against the same runs one by one, restore, backend selection, and
 * the loud failure when a kernel cannot run as OpenCL.
 */
class OpenClBackendTest {
    private static final OptimizerSpec ADAMW =
            new OptimizerSpec(OptimizerKind.ADAMW, 0.01, 0.0, false, 1.0, 0.9, 0.98, 1e-8);

    private static OpenClSettings settings(OpenClSettings.Gemm gemm) {
        return new OpenClSettings("auto", gemm, 8, 32);
    }

    /** One run as a batch of one on the simple GEMMs, owning its batch. */
    private static TrainingEngine alone(OpenCLDevice device, Weights weights, Optimizer opt, Dataset train) {
        OpenClBatch batch = OpenClBatch.open(settings(OpenClSettings.Gemm.SIMPLE), device,
                List.of(new OpenClBatch.Member(weights, opt, train)));
        return new OpenClEngine(batch, 0, true);
    }

    @Test
    void engineMatchesTheNaiveTwinOnFullBatchSubsetsAndTheTestSet() {
        OpenCLDevice device = OpenClTests.device();
        int p = 17;
        ModelShape shape = new ModelShape(p, 24, Activation.GELU, Parametrization.STANDARD, LossKind.CSE);
        Split split = Split.of(Dataset.of(Tasks.parse("add", p)), 0.5, 4);
        Weights init = Weights.init(shape, 9);
        Optimizer opt = new Optimizer(ADAMW);
        for (OpenClSettings.Gemm gemm : new OpenClSettings.Gemm[] {OpenClSettings.Gemm.SIMPLE, OpenClSettings.Gemm.TILED}) {
            OpenClBatch batch = OpenClBatch.open(settings(gemm), device,
                    List.of(new OpenClBatch.Member(init, opt, split.train())));
            try (TrainingEngine naive = new NaiveBackend().open(init, opt, split.train());
                 TrainingEngine cl = new OpenClEngine(batch, 0, true)) {
                assertStatsClose(gemm + " full batch", naive.computeGradients(null), cl.computeGradients(null));
                assertGradientsClose(gemm + " full batch", naive, cl);
                SplitMix64 rng = new SplitMix64(p);
                int[] rows = new int[37];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = rng.nextInt(split.train().size());
                }
                rows[5] = rows[11];
                assertStatsClose(gemm + " subset", naive.computeGradients(rows), cl.computeGradients(rows));
                assertGradientsClose(gemm + " subset", naive, cl);
                assertStatsClose(gemm + " full batch again", naive.computeGradients(null), cl.computeGradients(null));
                assertGradientsClose(gemm + " full batch again", naive, cl);
                assertStatsClose(gemm + " test set", naive.evaluate(split.test()), cl.evaluate(split.test()));
                // a larger evaluation set than the buffers were made for: they grow
                Dataset all = Dataset.of(Tasks.parse("add", p));
                assertStatsClose(gemm + " all pairs", naive.evaluate(all), cl.evaluate(all));
                assertStatsClose(gemm + " test set again", naive.evaluate(split.test()), cl.evaluate(split.test()));
                // gradients survive evaluation
                assertGradientsClose(gemm + " after evaluation", naive, cl);
                double[] norms = cl.norms();
                assertEquals(norm(cl.gradW1t()), norms[2], 1e-6 * norms[2]);
                assertEquals(norm(cl.weights().w2()), norms[1], 1e-6 * norms[1]);
            }
        }
    }

    /**
     * Cross-entropy of a well-fitted network (the analytic solution with a large readout): the
     * per-row loss is far below float's resolution at 1, and must still match the double-precision
     * CPU and naive backends, not come out as 0.
     */
    @Test
    void crossEntropyOfAFittedNetworkKeepsItsSmallLoss() {
        OpenCLDevice device = OpenClTests.device();
        int p = 11;
        ModelShape shape = new ModelShape(p, 64, Activation.QUAD, Parametrization.MEAN_FIELD, LossKind.CSE);
        Weights analytic = org.grokscope.compute.analytic.AnalyticSolutions.addition(shape, 3);
        Dataset all = Dataset.of(Tasks.parse("add", p));
        Optimizer opt = new Optimizer(ADAMW);
        // the analytic logits peak at 1 with small margins (loss 0.2 at 4×, 2e-4 at 20×): 60× and 90× give losses
        // far below 1e-7
        for (float scale : new float[] {60, 90}) {
            float[] w2 = analytic.w2().clone();
            for (int i = 0; i < w2.length; i++) {
                w2[i] *= scale;
            }
            Weights fitted = new Weights(shape, analytic.w1t().clone(), w2);
            try (TrainingEngine naive = new NaiveBackend().open(fitted, opt, all);
                 TrainingEngine cl = alone(device, fitted, opt, all)) {
                BatchStats expected = naive.evaluate(all);
                BatchStats got = cl.evaluate(all);
                assertEquals(1.0, expected.accuracy(), 0.0, "the analytic solution fits every pair");
                assertTrue(expected.loss() > 0 && expected.loss() < 1e-6, "a loss below float's resolution at 1: "
                        + expected.loss());
                // float logits (exp and the series in float): relative 1e-3
                assertEquals(expected.loss(), got.loss(), 1e-3 * expected.loss(), "scale " + scale);
            }
        }
    }

    /** A NaN weight makes the loss NaN on every backend, so a diverged run is seen as one. */
    @Test
    void reluKeepsANaNWeightVisibleInTheLoss() {
        OpenCLDevice device = OpenClTests.device();
        int p = 11;
        ModelShape shape = new ModelShape(p, 16, Activation.RELU, Parametrization.MEAN_FIELD, LossKind.MSE);
        Split split = Split.of(Dataset.of(Tasks.parse("add", p)), 0.5, 4);
        Weights init = Weights.init(shape, 5);
        init.w1t()[7] = Float.NaN;
        try (TrainingEngine cl = alone(device, init, new Optimizer(ADAMW), split.train())) {
            assertTrue(Double.isNaN(cl.computeGradients(null).loss()), "fmax(NaN, 0) = 0 would hide it");
        }
    }

    /** Runs that differ in α, seeds, learning rate, weight decay and optimizer, alone and batched. */
    @Test
    void aBatchStepsEachRunAsIfItRanAlone() {
        OpenCLDevice device = OpenClTests.device();
        int p = 13;
        ModelShape shape = new ModelShape(p, 32, Activation.QUAD, Parametrization.MEAN_FIELD, LossKind.MSE);
        Dataset all = Dataset.of(Tasks.parse("add", p));
        List<OpenClBatch.Member> members = new ArrayList<>();
        List<Split> splits = new ArrayList<>();
        OptimizerSpec[] specs = {
            ADAMW,
            new OptimizerSpec(OptimizerKind.ADAMW, 0.003, 0.0, false, 0.1, 0.9, 0.99, 1e-8),
            new OptimizerSpec(OptimizerKind.GD, 20.0, 0.0, false, 0.0, 0.9, 0.98, 1e-8),
            new OptimizerSpec(OptimizerKind.GD, 10.0, 0.9, false, 1e-3, 0.9, 0.98, 1e-8)};
        double[] alphas = {0.3, 0.5, 0.7, 0.5};
        for (int r = 0; r < specs.length; r++) {
            Split split = Split.of(all, alphas[r], r);
            splits.add(split);
            members.add(new OpenClBatch.Member(Weights.init(shape, 20 + r), new Optimizer(specs[r]), split.train()));
        }
        for (OpenClSettings.Gemm gemm : new OpenClSettings.Gemm[] {OpenClSettings.Gemm.SIMPLE, OpenClSettings.Gemm.TILED}) {
            try (OpenClBatch batch = OpenClBatch.open(settings(gemm), device, members)) {
                BatchStats[][] stats = new BatchStats[5][];
                for (int step = 0; step < 5; step++) {
                    stats[step] = batch.step();
                }
                Dataset[] tests = splits.stream().map(Split::test).toArray(Dataset[]::new);
                BatchStats[] testStats = batch.evaluate(tests);
                double[][] norms = batch.norms();
                for (int r = 0; r < members.size(); r++) {
                    try (OpenClBatch alone = OpenClBatch.open(settings(gemm), device, List.of(members.get(r)))) {
                        for (int step = 0; step < 5; step++) {
                            assertEquals(stats[step][r], alone.step()[0], gemm + " run " + r + " step " + step);
                        }
                        assertEquals(testStats[r], alone.evaluate(new Dataset[] {tests[r]})[0], gemm + " test of run " + r);
                        assertTrue(batch.weights(r).sameBits(alone.weights(0)), gemm + " weights of run " + r);
                        OptimizerState a = batch.optimizerState(r);
                        OptimizerState b = alone.optimizerState(0);
                        assertEquals(5, a.step());
                        assertArrayEquals(b.first1(), a.first1());
                        assertArrayEquals(b.second2(), a.second2());
                        assertArrayEquals(alone.norms()[0], norms[r], 0.0);
                    }
                }
                // the engine view of one run of a larger batch evaluates and checkpoints but does not step
                TrainingEngine view = batch.engine(1);
                assertEquals(testStats[1], view.evaluate(tests[1]));
                assertThrows(UnsupportedOperationException.class, () -> view.step(null));
            }
        }
    }

    @Test
    void restoreReplaysTheSameSteps() {
        OpenCLDevice device = OpenClTests.device();
        int p = 11;
        ModelShape shape = new ModelShape(p, 16, Activation.QUAD, Parametrization.MEAN_FIELD, LossKind.MSE);
        Split split = Split.of(Dataset.of(Tasks.parse("add", p)), 0.5, 1);
        try (OpenClBatch batch = OpenClBatch.open(settings(OpenClSettings.Gemm.SIMPLE), device, List.of(
                new OpenClBatch.Member(Weights.init(shape, 1), new Optimizer(ADAMW), split.train()),
                new OpenClBatch.Member(Weights.init(shape, 2), new Optimizer(ADAMW), split.train())))) {
            for (int i = 0; i < 3; i++) {
                batch.step();
            }
            Weights snap = batch.weights(1);
            OptimizerState state = batch.optimizerState(1);
            Weights other = batch.weights(0);
            for (int i = 0; i < 4; i++) {
                batch.step();
            }
            Weights after = batch.weights(1);
            Weights otherAfter = batch.weights(0);
            batch.restore(1, snap, state);
            // restoring run 1 leaves run 0 where it is
            assertTrue(otherAfter.sameBits(batch.weights(0)));
            assertTrue(!other.sameBits(otherAfter));
            batch.restore(0, other, batch.optimizerState(0));
            assertEquals(7, batch.optimizerState(0).step());
            for (int i = 0; i < 4; i++) {
                batch.step();
            }
            assertTrue(after.sameBits(batch.weights(1)), "resumed run differs");
            assertEquals(7, batch.optimizerState(1).step());
        }
    }

    @Test
    void backendChoice() {
        OpenClTests.device();
        ComputeSettings settings = new ComputeSettings(1, 2, 16);
        Backend opencl = Backends.create(BackendKind.OPENCL, settings);
        assertEquals("opencl", opencl.name());
        assertTrue(opencl.device().contains("OpenCL"), opencl.device());
        // auto takes an OpenCL GPU only; pocl's CPU device is not one
        Backend auto = Backends.create(BackendKind.AUTO, settings);
        assertEquals(OpenClDevices.hasGpu() ? "opencl" : "cpu", auto.name());
        OpenClSettings missing = new OpenClSettings("no-such-device-anywhere", OpenClSettings.Gemm.AUTO, 16, 64);
        OpenClException e = assertThrows(OpenClException.class,
                () -> Backends.create(BackendKind.OPENCL, settings.withOpenCl(missing)));
        assertTrue(e.getMessage().contains("no-such-device-anywhere"), e.getMessage());
    }

    /** A kernel Aparapi cannot translate (it calls through an interface) must fail, not fall back. */
    static final class UntranslatableKernel extends StepKernel {
        interface Op {
            float apply(float x);
        }

        final Op op = x -> x * 2.0f;

        @Override
        public void run() {
            int i = getGlobalId(0);
            if (i < count) {
                w[i] = op.apply(w[i]);
            }
        }
    }

    @Test
    void anUntranslatableKernelFailsWithAClearErrorInsteadOfRunningOnJavaThreads() {
        OpenCLDevice device = OpenClTests.device();
        ModelShape shape = new ModelShape(7, 8, Activation.QUAD, Parametrization.MEAN_FIELD, LossKind.MSE);
        Split split = Split.of(Dataset.of(Tasks.parse("add", 7)), 0.5, 1);
        List<OpenClBatch.Member> one = List.of(new OpenClBatch.Member(Weights.init(shape, 1), new Optimizer(ADAMW),
                split.train()));
        OpenClException e = assertThrows(OpenClException.class,
                () -> OpenClBatch.open(settings(OpenClSettings.Gemm.SIMPLE), device, one, new UntranslatableKernel()));
        assertTrue(e.getMessage().contains("UntranslatableKernel cannot be translated to OpenCL"), e.getMessage());
        assertTrue(e.getMessage().contains("Java thread pool"), e.getMessage());
        assertTrue(e.getMessage().contains(device.getName().strip()), e.getMessage());

        // and a launch that skipped the compile check is caught after the fact
        UntranslatableKernel k = new UntranslatableKernel();
        k.w = new float[64];
        k.count = 64;
        OpenClException late = assertThrows(OpenClException.class,
                () -> OpenClDevices.launch(k, device, device.createRange(64, 32), "double"));
        assertTrue(late.getMessage().contains("Java thread pool"), late.getMessage());
    }
}
