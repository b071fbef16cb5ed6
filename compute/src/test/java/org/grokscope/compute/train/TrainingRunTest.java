package org.grokscope.compute.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.ReferenceModel;
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

/** Whole runs through {@link TrainingRun}: it learns, minibatches work, metrics mean what they say. */
class TrainingRunTest {
    private static final ComputeSettings SETTINGS = new ComputeSettings(2, 4, 128);
    private static final OptimizerSpec ADAMW =
            new OptimizerSpec(OptimizerKind.ADAMW, 0.01, 0.0, false, 1.0, 0.9, 0.98, 1e-8);

    private static double norm(float[] a) {
        double sum = 0.0;
        for (float v : a) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    private static RunSpec spec(int epochs, int batchSize, int evalEvery) {
        return new RunSpec("add", 23, 0.8, 1, 1, 128, Activation.QUAD, Parametrization.MEAN_FIELD, LossKind.MSE,
                ADAMW, epochs, batchSize, evalEvery, 0, BackendKind.CPU);
    }

    /**
     * Gromov's setting (quadratic activation, mean-field, MSE) with AdamW and weight decay 1 on
     * add mod 23 with 80% of the pairs: with these seeds it fits the training set at epoch ~310
     * and generalises at epoch ~320 (about 1 s on 2 cores); 500 epochs leave a wide margin.
     */
    @Test
    void smallRunFitsAndGeneralises() {
        RunSpec spec = spec(500, 0, 10);
        GrokkingEvents events = new GrokkingEvents(new EventSettings(1.0, 0.9, 3, 0.1, 0.02, 1.5, 0.25), 23);
        EpochMetrics last = null;
        try (TrainingRun run = TrainingRun.create(spec, SETTINGS)) {
            for (int e = 0; e < spec.epochs(); e++) {
                last = run.runEpoch();
                assertTrue(Double.isFinite(last.trainLoss()), "diverged at epoch " + last.epoch());
                events.accept(last);
            }
            assertEquals(500, last.epoch());
            assertTrue(last.evaluated(), "the last epoch is always evaluated");
            assertEquals(1.0, last.trainAccuracy(), 0.0, "train accuracy " + last.trainAccuracy());
            assertTrue(last.testAccuracy() >= 0.9, "test accuracy " + last.testAccuracy());
            // measured independently on the final weights by the reference model
            Weights w = run.engine().weights();
            double[] test = ReferenceModel.lossAndAccuracy(w.shape(), ReferenceModel.toDouble(w.w1t()),
                    ReferenceModel.toDouble(w.w2()), run.split().test(), null);
            assertTrue(test[1] >= 0.9, "reference test accuracy " + test[1]);
        }
        assertTrue(events.tFit() > 0, "t_fit found");
        assertTrue(events.tGrok() >= events.tFit() - 10, "t_grok " + events.tGrok() + " after t_fit " + events.tFit());
    }

    @Test
    void minibatchModeRunsAndLowersTheLoss() {
        RunSpec spec = spec(30, 64, 5);
        try (TrainingRun run = TrainingRun.create(spec, SETTINGS)) {
            EpochMetrics first = run.runEpoch();
            EpochMetrics last = first;
            for (int e = 1; e < spec.epochs(); e++) {
                last = run.runEpoch();
            }
            assertTrue(last.trainLoss() < 0.5 * first.trainLoss(),
                    "loss " + first.trainLoss() + " -> " + last.trainLoss());
            assertTrue(last.testLoss() < first.testLoss());
            // 423 training rows in batches of 64: 7 optimizer steps per epoch
            int steps = (run.split().train().size() + 63) / 64;
            assertEquals(7, steps);
            assertEquals(30L * steps, run.engine().optimizerState().step());
        }
    }

    /**
     * In minibatch mode too, the train metrics of epoch 1 are those of the initial weights on the
     * whole train set (not a mean over minibatches taken as the weights moved), as the test
     * metrics are; tolerances as in the full-batch test below.
     */
    @Test
    void minibatchTrainMetricsDescribeTheWeightsTheEpochStartedFrom() {
        RunSpec spec = spec(2, 64, 1);
        try (TrainingRun run = TrainingRun.create(spec, SETTINGS)) {
            Weights init = Weights.init(ModelShape.of(spec), spec.initSeed());
            double[] train = ReferenceModel.lossAndAccuracy(init.shape(), ReferenceModel.toDouble(init.w1t()),
                    ReferenceModel.toDouble(init.w2()), run.split().train(), null);
            EpochMetrics m1 = run.runEpoch();
            assertEquals(train[0], m1.trainLoss(), 1e-5 * train[0]);
            assertEquals(train[1], m1.trainAccuracy(), 1.0 / run.split().train().size());
            Weights after = run.engine().weights();
            double[] next = ReferenceModel.lossAndAccuracy(after.shape(), ReferenceModel.toDouble(after.w1t()),
                    ReferenceModel.toDouble(after.w2()), run.split().train(), null);
            EpochMetrics m2 = run.runEpoch();
            assertEquals(next[0], m2.trainLoss(), 1e-5 * next[0]);
            assertEquals(next[1], m2.trainAccuracy(), 1.0 / run.split().train().size());
        }
    }

    /**
     * Epoch e reports the weights it started from: epoch 1 shows the initialisation. Its train
     * loss is the float forward pass, compared with the double reference at 1e-5 relative
     * (float32 roundoff over length-128 dot products, see CpuBackendTwinTest).
     */
    @Test
    void epochOneDescribesTheInitialWeights() {
        RunSpec spec = spec(4, 0, 3);
        try (TrainingRun run = TrainingRun.create(spec, SETTINGS)) {
            Weights init = Weights.init(ModelShape.of(spec), spec.initSeed());
            assertTrue(init.sameBits(run.engine().weights()), "engine starts from Weights.init(initSeed)");
            double[] d1 = ReferenceModel.toDouble(init.w1t());
            double[] d2 = ReferenceModel.toDouble(init.w2());
            double[] train = ReferenceModel.lossAndAccuracy(init.shape(), d1, d2, run.split().train(), null);
            double[] test = ReferenceModel.lossAndAccuracy(init.shape(), d1, d2, run.split().test(), null);

            EpochMetrics m1 = run.runEpoch();
            assertEquals(1, m1.epoch());
            assertEquals(train[0], m1.trainLoss(), 1e-5 * train[0]);
            assertEquals(train[1], m1.trainAccuracy(), 1.0 / run.split().train().size());
            assertEquals(test[0], m1.testLoss(), 1e-5 * test[0]);
            assertEquals(test[1], m1.testAccuracy(), 1.0 / run.split().test().size());
            // norms are sums of a few thousand squares in double: any summation order agrees to
            // ~n·2⁻⁵³ ≈ 1e-12 relative, so 1e-12 allows engines to sum in their own (fixed) order
            assertEquals(norm(init.w1t()), m1.w1Norm(), 1e-12 * m1.w1Norm());
            assertEquals(norm(init.w2()), m1.w2Norm(), 1e-12 * m1.w2Norm());
            // gradient norms are those of the epoch's (only) step, taken at the initial weights
            assertEquals(norm(run.engine().gradW1t()), m1.grad1Norm(), 1e-12 * m1.grad1Norm());
            assertEquals(norm(run.engine().gradW2()), m1.grad2Norm(), 1e-12 * m1.grad2Norm());
            assertTrue(m1.grad1Norm() > 0 && m1.grad2Norm() > 0);
            assertFalse(init.sameBits(run.engine().weights()), "the step moved the weights");

            // eval-every 3 over 4 epochs: epochs 1 (always), 3 (multiple) and 4 (last) are evaluated
            EpochMetrics m2 = run.runEpoch();
            EpochMetrics m3 = run.runEpoch();
            EpochMetrics m4 = run.runEpoch();
            assertFalse(m2.evaluated());
            assertTrue(Double.isNaN(m2.testLoss()));
            assertTrue(m3.evaluated());
            assertTrue(m4.evaluated());
            assertEquals(4, run.epoch());
        }
    }
}
