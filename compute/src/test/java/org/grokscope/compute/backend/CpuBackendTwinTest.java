package org.grokscope.compute.backend;

import static org.grokscope.compute.backend.EngineAssertions.assertGradientsClose;
import static org.grokscope.compute.backend.EngineAssertions.assertStatsClose;
import static org.grokscope.compute.backend.EngineAssertions.diffNorm;
import static org.grokscope.compute.backend.EngineAssertions.norm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.Optimizer;
import org.grokscope.compute.optim.OptimizerState;
import org.grokscope.compute.rng.SplitMix64;
import org.grokscope.compute.task.Dataset;
import org.grokscope.compute.task.Split;
import org.grokscope.compute.task.Tasks;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.LossKind;
import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.OptimizerSpec;
import org.grokscope.protocol.Parametrization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CPU backend (OpenBLAS sgemm, fused float loops, tiles and lanes) against its naive twin
 * ({@link NaiveBackend}: the double-precision reference model plus the naive optimizer).
 *
 * <p>Settings use 16-row tiles and 3 lanes, with 2 threads, so that every lane walks several tiles
 * and ends on a partial one, lanes are reduced, and the thread count differs from the lane count.
 */
class CpuBackendTwinTest {
    private static final ComputeSettings SETTINGS = new ComputeSettings(2, 3, 16);
    private static final int WIDTH = 40;

    private static final OptimizerSpec ADAMW =
            new OptimizerSpec(OptimizerKind.ADAMW, 0.01, 0.0, false, 1.0, 0.9, 0.98, 1e-8);

    static Stream<Arguments> combos() {
        // activation, loss, parametrization, p, gd learning rate (scaled so 20 steps move the weights)
        return Stream.of(
                Arguments.of(Activation.QUAD, LossKind.MSE, Parametrization.MEAN_FIELD, 19, 20.0),
                Arguments.of(Activation.RELU, LossKind.CSE, Parametrization.STANDARD, 23, 0.5),
                Arguments.of(Activation.GELU, LossKind.MSE, Parametrization.STANDARD, 17, 2.0),
                Arguments.of(Activation.TANH, LossKind.CSE, Parametrization.MEAN_FIELD, 13, 20.0),
                Arguments.of(Activation.CUBE, LossKind.MSE, Parametrization.MEAN_FIELD, 11, 2.0),
                Arguments.of(Activation.IDENTITY, LossKind.MSE, Parametrization.MEAN_FIELD, 19, 20.0),
                Arguments.of(Activation.GELU, LossKind.CSE, Parametrization.MEAN_FIELD, 21, 5.0),
                Arguments.of(Activation.QUAD, LossKind.CSE, Parametrization.STANDARD, 15, 0.5));
    }

    private record Setup(ModelShape shape, Split split, Weights init) {
    }

    private static Setup setup(Activation act, LossKind loss, Parametrization pz, int p) {
        ModelShape shape = new ModelShape(p, WIDTH, act, pz, loss);
        Split split = Split.of(Dataset.of(Tasks.parse("add", p)), 0.5, 3 + p);
        return new Setup(shape, split, Weights.init(shape, 100 + p));
    }

    @ParameterizedTest(name = "{0} {1} {2} p={3}")
    @MethodSource("combos")
    void fullBatchAndSubsetGradientsMatchTheNaiveTwin(Activation act, LossKind loss, Parametrization pz, int p,
                                                      double gdLr) {
        Setup s = setup(act, loss, pz, p);
        Optimizer opt = new Optimizer(ADAMW);
        try (TrainingEngine naive = new NaiveBackend().open(s.init(), opt, s.split().train());
             TrainingEngine cpu = new CpuBackend(SETTINGS).open(s.init(), opt, s.split().train())) {
            assertStatsClose("full batch", naive.computeGradients(null), cpu.computeGradients(null));
            assertGradientsClose("full batch", naive, cpu);

            // an explicit subset: shuffled, with repeats, not a multiple of lanes or tile rows
            SplitMix64 rng = new SplitMix64(p);
            int[] rows = new int[37];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = rng.nextInt(s.split().train().size());
            }
            rows[5] = rows[11];
            assertStatsClose("subset", naive.computeGradients(rows), cpu.computeGradients(rows));
            assertGradientsClose("subset", naive, cpu);

            // fewer rows than lanes: one lane is empty and must contribute nothing
            int[] two = {rows[0], rows[1]};
            assertStatsClose("two rows", naive.computeGradients(two), cpu.computeGradients(two));
            assertGradientsClose("two rows", naive, cpu);

            // and back to the full batch: nothing left over from the previous calls
            assertStatsClose("full batch again", naive.computeGradients(null), cpu.computeGradients(null));
            assertGradientsClose("full batch again", naive, cpu);

            // the gradient norms reported by norms() are those of the kept gradients
            assertEquals(norm(cpu.gradW1t()), cpu.norms()[2], 1e-9 * norm(cpu.gradW1t()));
            assertEquals(norm(cpu.gradW2()), cpu.norms()[3], 1e-9 * norm(cpu.gradW2()));
        }
    }

    /**
     * 20 full-batch steps on both, then the weights and the test-set evaluation. The twins start
     * equal but their float gradients differ by ~1e-6 relative each step; the optimizers feed that
     * back through the weights, and AdamW's m/√v normalisation amplifies differences in components
     * whose gradient is tiny. Over 20 steps the drift stays well below 1e-3 of the distance the
     * weights travelled (and hence of the weights), which is the bound used.
     */
    @ParameterizedTest(name = "{0} {1} {2} p={3}")
    @MethodSource("combos")
    void twentyStepsOfAdamwAndNesterovStayTogether(Activation act, LossKind loss, Parametrization pz, int p,
                                                    double gdLr) {
        Setup s = setup(act, loss, pz, p);
        OptimizerSpec nesterov = new OptimizerSpec(OptimizerKind.GD, gdLr, 0.9, true, 1e-3, 0.9, 0.98, 1e-8);
        for (OptimizerSpec spec : new OptimizerSpec[] {ADAMW, nesterov}) {
            Optimizer opt = new Optimizer(spec);
            String what = spec.kind() + (spec.nesterov() ? "+nesterov" : "");
            try (TrainingEngine naive = new NaiveBackend().open(s.init(), opt, s.split().train());
                 TrainingEngine cpu = new CpuBackend(SETTINGS).open(s.init(), opt, s.split().train())) {
                BatchStats firstNaive = null;
                BatchStats lastNaive = null;
                for (int step = 0; step < 20; step++) {
                    BatchStats a = naive.step(null);
                    BatchStats b = cpu.step(null);
                    assertTrue(a.finite() && b.finite(), what + " diverged at step " + step);
                    if (step == 0) {
                        // step 1 sees identical weights: as tight as the gradient check
                        assertStatsClose(what + " step 1", a, b);
                        firstNaive = a;
                    }
                    lastNaive = a;
                }
                assertTrue(lastNaive.loss() < firstNaive.loss(), what + ": loss did not fall, "
                        + firstNaive.loss() + " -> " + lastNaive.loss());
                Weights wn = naive.weights();
                Weights wc = cpu.weights();
                for (int t = 0; t < 2; t++) {
                    float[] n = t == 0 ? wn.w1t() : wn.w2();
                    float[] c = t == 0 ? wc.w1t() : wc.w2();
                    float[] i0 = t == 0 ? s.init().w1t() : s.init().w2();
                    double moved = diffNorm(n, i0);
                    double drift = diffNorm(n, c);
                    assertTrue(moved > 1e-3 * norm(i0), what + " W" + (t + 1) + " hardly moved: " + moved);
                    assertTrue(drift < 1e-3 * moved, what + " W" + (t + 1) + " drift " + drift + " vs moved " + moved);
                    assertTrue(drift < 1e-3 * norm(n), what + " W" + (t + 1) + " drift " + drift);
                }
                assertEquals(20, cpu.optimizerState().step());
                assertEquals(20, naive.optimizerState().step());

                // evaluation on the test set: the weights differ by the drift above, so compare the
                // CPU evaluation against the naive one on the CPU's own weights (tight), and against
                // the naive engine's evaluation of its own weights (looser: 1e-3, the drift bound)
                BatchStats cpuTest = cpu.evaluate(s.split().test());
                try (TrainingEngine naiveOnCpuWeights = new NaiveBackend().open(wc, opt, s.split().train())) {
                    assertStatsClose(what + " test evaluation", naiveOnCpuWeights.evaluate(s.split().test()), cpuTest);
                }
                BatchStats naiveTest = naive.evaluate(s.split().test());
                assertEquals(naiveTest.loss(), cpuTest.loss(), 1e-3 * naiveTest.loss(), what + " test loss");
                assertEquals(s.split().test().size(), cpuTest.samples());
                // evaluation does not disturb the training state
                assertArrayEquals(wc.w1t(), cpu.weights().w1t());
            }
        }
    }

    static Stream<Arguments> settings() {
        return Stream.of(
                Arguments.of(new ComputeSettings(1, 1, 1)),    // one lane, one row per tile
                Arguments.of(new ComputeSettings(2, 7, 5)),    // many small lanes, odd tiles
                Arguments.of(new ComputeSettings(2, 4, 256)),  // the shipped defaults: one partial tile per lane
                Arguments.of(new ComputeSettings(3, 2, 1000))); // tiles larger than the lanes
    }

    /** Other lane/tile layouts, on a larger training set (p = 31, 864 rows), against the naive twin. */
    @ParameterizedTest
    @MethodSource("settings")
    void otherLaneAndTileLayoutsMatchTheNaiveTwin(ComputeSettings settings) {
        int p = 31;
        ModelShape shape = new ModelShape(p, 24, Activation.GELU, Parametrization.MEAN_FIELD, LossKind.CSE);
        Split split = Split.of(Dataset.of(Tasks.parse("sub", p)), 0.9, 8);
        Weights init = Weights.init(shape, 8);
        Optimizer opt = new Optimizer(ADAMW);
        try (TrainingEngine naive = new NaiveBackend().open(init, opt, split.train());
             TrainingEngine cpu = new CpuBackend(settings).open(init, opt, split.train())) {
            assertStatsClose("full batch", naive.computeGradients(null), cpu.computeGradients(null));
            assertGradientsClose("full batch", naive, cpu);
            assertStatsClose("test set", naive.evaluate(split.test()), cpu.evaluate(split.test()));
        }
    }

    /** restore() replaces weights and optimizer state: continuing from a snapshot replays the same bits. */
    @Test
    void restoreReplaysTheSameSteps() {
        Setup s = setup(Activation.QUAD, LossKind.MSE, Parametrization.MEAN_FIELD, 19);
        Optimizer opt = new Optimizer(ADAMW);
        try (TrainingEngine cpu = new CpuBackend(SETTINGS).open(s.init(), opt, s.split().train())) {
            for (int i = 0; i < 3; i++) {
                cpu.step(null);
            }
            Weights snap = cpu.weights();
            OptimizerState state = cpu.optimizerState();
            for (int i = 0; i < 4; i++) {
                cpu.step(null);
            }
            Weights after = cpu.weights();
            cpu.restore(snap, state);
            for (int i = 0; i < 4; i++) {
                cpu.step(null);
            }
            assertTrue(after.sameBits(cpu.weights()), "resumed run differs");
            assertEquals(7, cpu.optimizerState().step());
        }
    }

    /** The bench's GEMMs-only pass uses the lanes' scratch only: steps around it give the same bits. */
    @Test
    void gemmsOnlyLeavesTheTrainingStateAlone() {
        Setup s = setup(Activation.QUAD, LossKind.MSE, Parametrization.MEAN_FIELD, 19);
        Optimizer opt = new Optimizer(ADAMW);
        try (TrainingEngine plain = new CpuBackend(SETTINGS).open(s.init(), opt, s.split().train());
             TrainingEngine probed = new CpuBackend(SETTINGS).open(s.init(), opt, s.split().train())) {
            Runnable gemms = CpuBackend.gemmsOnly(probed);
            for (int i = 0; i < 4; i++) {
                plain.step(null);
                gemms.run();
                probed.step(null);
                gemms.run();
            }
            assertTrue(plain.weights().sameBits(probed.weights()), "weights changed by the GEMMs-only pass");
            assertArrayEquals(plain.gradW2(), probed.gradW2());
            assertArrayEquals(plain.gradW1t(), probed.gradW1t());
        }
    }

    /** Lanes fix the summation order; threads must not matter, even more threads than lanes. */
    @Test
    void gradientsDoNotDependOnTheThreadCount() {
        Setup s = setup(Activation.GELU, LossKind.CSE, Parametrization.STANDARD, 23);
        Optimizer opt = new Optimizer(ADAMW);
        float[] ref1 = null;
        float[] ref2 = null;
        for (int threads : new int[] {1, 2, 3, 5}) {
            try (TrainingEngine cpu = new CpuBackend(new ComputeSettings(threads, 3, 16))
                    .open(s.init(), opt, s.split().train())) {
                cpu.step(null);
                cpu.computeGradients(null);
                if (ref1 == null) {
                    ref1 = cpu.gradW1t();
                    ref2 = cpu.gradW2();
                } else {
                    assertArrayEquals(ref1, cpu.gradW1t(), threads + " threads");
                    assertArrayEquals(ref2, cpu.gradW2(), threads + " threads");
                }
            }
        }
    }
}
