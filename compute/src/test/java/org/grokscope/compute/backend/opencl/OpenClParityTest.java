package org.grokscope.compute.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.train.TrainingRun;
import org.grokscope.protocol.BackendKind;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunSpecs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Acceptance parity: the first 200 epochs of the two shipped examples on {@code backend = opencl}
 * and on {@code cpu}, epoch by epoch. Both are float32 with different summation orders (OpenBLAS
 * blocks against per-item loops, lanes against CSR lists), so they drift apart by roundoff fed
 * back through 200 updates. A wrong kernel gives O(1) differences within an epoch.
 *
 * <p>Measured on pocl (2026-11-21, simple GEMMs), worst over the 200 epochs: AdamW loss 6.2e-8
 * relative, norms 1.9e-7, final weights 6.6e-7; GD loss 5.9e-7, norms 9.2e-7, weights 3.0e-7; no
 * accuracy ever differed by a sample. Bounds, with a margin of about 10:
 * <ul>
 * <li>losses (train and test), relative: 1e-5;</li>
 * <li>accuracies: at most 2 samples apart (a sample whose two best logits are within roundoff may
 *     flip);</li>
 * <li>norms of weights and gradients, relative: 1e-5;</li>
 * <li>weights after 200 epochs, ‖w_cl − w_cpu‖ / ‖w_cpu‖ per matrix: 1e-5.</li>
 * </ul>
 */
class OpenClParityTest {
    private static final double LOSS_REL = 1e-5;
    private static final int ACCURACY_SAMPLES = 2;
    private static final double NORM_REL = 1e-5;
    private static final double WEIGHT_REL = 1e-5;
    private static final int EPOCHS = 200;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"add-p97-adamw.conf", "add-p97-gd.conf"})
    void twoHundredEpochsOfTheExampleAgreeWithCpu(String example) {
        OpenClTests.device();
        Path file = Path.of("..", "config", "examples", example);
        RunSpec spec = RunSpecs.fromConfig(ConfigFactory.parseFile(file.toFile())).withEpochs(EPOCHS);
        ComputeSettings settings = ComputeSettings.defaults();
        double worstLoss = 0.0;
        double worstNorm = 0.0;
        double worstAccuracy = 0.0;
        try (TrainingRun cpu = TrainingRun.create(spec.withBackend(BackendKind.CPU), settings);
             TrainingRun cl = TrainingRun.create(spec.withBackend(BackendKind.OPENCL), settings)) {
            int train = cpu.split().train().size();
            int test = cpu.split().test().size();
            for (int e = 1; e <= EPOCHS; e++) {
                EpochMetrics a = cpu.runEpoch();
                EpochMetrics b = cl.runEpoch();
                String at = example + " epoch " + e;
                worstLoss = Math.max(worstLoss, rel(a.trainLoss(), b.trainLoss()));
                assertTrue(rel(a.trainLoss(), b.trainLoss()) <= LOSS_REL, at + " train loss " + a.trainLoss()
                        + " vs " + b.trainLoss());
                worstAccuracy = Math.max(worstAccuracy, Math.abs(a.trainAccuracy() - b.trainAccuracy()) * train);
                assertEquals(a.trainAccuracy(), b.trainAccuracy(), (ACCURACY_SAMPLES + 0.5) / train, at + " train accuracy");
                assertEquals(Double.isNaN(a.testLoss()), Double.isNaN(b.testLoss()), at + " evaluated on both");
                if (!Double.isNaN(a.testLoss())) {
                    worstLoss = Math.max(worstLoss, rel(a.testLoss(), b.testLoss()));
                    assertTrue(rel(a.testLoss(), b.testLoss()) <= LOSS_REL, at + " test loss " + a.testLoss() + " vs "
                            + b.testLoss());
                    worstAccuracy = Math.max(worstAccuracy, Math.abs(a.testAccuracy() - b.testAccuracy()) * test);
                    assertEquals(a.testAccuracy(), b.testAccuracy(), (ACCURACY_SAMPLES + 0.5) / test, at + " test accuracy");
                }
                double[] na = {a.w1Norm(), a.w2Norm(), a.grad1Norm(), a.grad2Norm()};
                double[] nb = {b.w1Norm(), b.w2Norm(), b.grad1Norm(), b.grad2Norm()};
                for (int j = 0; j < 4; j++) {
                    worstNorm = Math.max(worstNorm, rel(na[j], nb[j]));
                    assertTrue(rel(na[j], nb[j]) <= NORM_REL, at + " norm " + j + ": " + na[j] + " vs " + nb[j]);
                }
            }
            Weights wa = cpu.engine().weights();
            Weights wb = cl.engine().weights();
            double d1 = relDiff(wa.w1t(), wb.w1t());
            double d2 = relDiff(wa.w2(), wb.w2());
            System.out.printf("%s: %d epochs opencl vs cpu: worst loss rel %.2e, accuracy %.0f samples, norm rel %.2e, "
                    + "weights rel W1 %.2e W2 %.2e%n", example, EPOCHS, worstLoss, worstAccuracy, worstNorm, d1, d2);
            assertTrue(d1 <= WEIGHT_REL, example + " W1 relative difference " + d1);
            assertTrue(d2 <= WEIGHT_REL, example + " W2 relative difference " + d2);
        }
    }

    private static double rel(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.abs(a), 1e-30);
    }

    private static double relDiff(float[] a, float[] b) {
        double d = 0.0;
        double n = 0.0;
        for (int i = 0; i < a.length; i++) {
            double x = (double) a[i] - b[i];
            d += x * x;
            n += (double) a[i] * a[i];
        }
        return Math.sqrt(d / n);
    }
}
