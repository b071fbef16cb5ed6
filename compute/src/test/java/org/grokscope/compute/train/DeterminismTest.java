package org.grokscope.compute.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.model.Weights;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.BackendKind;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.LossKind;
import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.OptimizerSpec;
import org.grokscope.protocol.Parametrization;
import org.grokscope.protocol.RunSpec;
import org.junit.jupiter.api.Test;

/**
 * Equal specs give bit-identical runs: same process twice, any thread count for a fixed lane
 * count, full batch and minibatches. Different seeds give different runs.
 */
class DeterminismTest {
    private static final OptimizerSpec ADAMW =
            new OptimizerSpec(OptimizerKind.ADAMW, 0.01, 0.0, false, 1.0, 0.9, 0.98, 1e-8);

    private static RunSpec spec(long initSeed, int batchSize, BackendKind backend) {
        return new RunSpec("add", 23, 0.5, 1, initSeed, 64, Activation.QUAD, Parametrization.MEAN_FIELD,
                LossKind.MSE, ADAMW, 30, batchSize, 1, 0, backend);
    }

    private record Result(Weights weights, List<EpochMetrics> metrics) {
    }

    private static Result run(RunSpec spec, ComputeSettings settings) {
        List<EpochMetrics> metrics = new ArrayList<>();
        try (TrainingRun run = TrainingRun.create(spec, settings)) {
            for (int e = 0; e < spec.epochs(); e++) {
                metrics.add(run.runEpoch());
            }
            assertEquals(spec.epochs(), run.epoch());
            return new Result(run.engine().weights(), metrics);
        }
    }

    /** Record equality compares doubles by bits (Double.compare), NaN included. */
    private static void assertSameRun(Result a, Result b, String what) {
        assertTrue(a.weights().sameBits(b.weights()), what + ": weights differ");
        assertEquals(a.metrics(), b.metrics(), what + ": metrics differ");
    }

    @Test
    void sameSpecTwiceGivesBitIdenticalWeights() {
        ComputeSettings settings = new ComputeSettings(2, 4, 32);
        Result a = run(spec(1, 0, BackendKind.CPU), settings);
        Result b = run(spec(1, 0, BackendKind.CPU), settings);
        assertSameRun(a, b, "two runs");
        // and the run did something
        assertTrue(a.metrics().get(29).trainLoss() < a.metrics().get(0).trainLoss());
    }

    @Test
    void threadCountDoesNotChangeTheBits() {
        Result one = run(spec(1, 0, BackendKind.CPU), new ComputeSettings(1, 4, 32));
        Result two = run(spec(1, 0, BackendKind.CPU), new ComputeSettings(2, 4, 32));
        Result three = run(spec(1, 0, BackendKind.CPU), new ComputeSettings(3, 4, 32));
        assertSameRun(one, two, "1 vs 2 threads");
        assertSameRun(one, three, "1 vs 3 threads");
    }

    @Test
    void minibatchRunsAreReproducibleAcrossThreadCounts() {
        Result one = run(spec(5, 64, BackendKind.CPU), new ComputeSettings(1, 4, 32));
        Result two = run(spec(5, 64, BackendKind.CPU), new ComputeSettings(2, 4, 32));
        assertSameRun(one, two, "minibatch, 1 vs 2 threads");
    }

    @Test
    void naiveBackendIsReproducible() {
        RunSpec s = spec(1, 0, BackendKind.NAIVE).withEpochs(10);
        ComputeSettings settings = new ComputeSettings(2, 4, 32);
        assertSameRun(run(s, settings), run(s, settings), "naive twice");
    }

    @Test
    void differentInitSeedsGiveDifferentWeights() {
        ComputeSettings settings = new ComputeSettings(2, 4, 32);
        Result a = run(spec(1, 0, BackendKind.CPU), settings);
        Result b = run(spec(2, 0, BackendKind.CPU), settings);
        assertFalse(a.weights().sameBits(b.weights()));
        // every weight differs, not just a few
        float[] w1 = a.weights().w1t();
        float[] w2 = b.weights().w1t();
        int equal = 0;
        for (int i = 0; i < w1.length; i++) {
            if (w1[i] == w2[i]) {
                equal++;
            }
        }
        assertTrue(equal < w1.length / 100, equal + " equal weights");
    }

    @Test
    void differentSplitSeedsGiveDifferentRuns() {
        ComputeSettings settings = new ComputeSettings(2, 4, 32);
        RunSpec a = spec(1, 0, BackendKind.CPU).withEpochs(3);
        RunSpec b = new RunSpec(a.task(), a.p(), a.alpha(), 2, a.initSeed(), a.width(), a.activation(),
                a.parametrization(), a.loss(), a.optimizer(), a.epochs(), a.batchSize(), a.evalEvery(),
                a.checkpointEvery(), a.backend());
        Result ra = run(a, settings);
        Result rb = run(b, settings);
        // same initial weights (same init seed), so epoch 1 norms agree, but the training sets differ
        assertEquals(ra.metrics().get(0).w1Norm(), rb.metrics().get(0).w1Norm(), 0.0);
        assertFalse(ra.weights().sameBits(rb.weights()));
    }
}
