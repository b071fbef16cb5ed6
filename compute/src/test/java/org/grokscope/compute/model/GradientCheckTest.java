package org.grokscope.compute.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.grokscope.compute.rng.SplitMix64;
import org.grokscope.compute.task.Dataset;
import org.grokscope.compute.task.Tasks;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.LossKind;
import org.grokscope.protocol.Parametrization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The analytic gradient of {@link ReferenceModel#gradient} against central finite differences of
 * {@link ReferenceModel#lossAndAccuracy}, everything in double, for every activation × loss ×
 * parametrization.
 */
class GradientCheckTest {
    private static final int P = 5;
    private static final int WIDTH = 7;
    /** Finite-difference step. */
    private static final double STEP = 1e-6;
    /**
     * Central differences have truncation error O(STEP²·|f'''|) ≈ 1e-12 and rounding error
     * O(eps·|L|/STEP) ≈ 1e-16/1e-6 = 1e-10 on a loss of order 1; against gradient norms of order
     * 1e-2..1 that is at most ~1e-8 relative. 1e-6 leaves a wide margin yet catches any wrong
     * factor, sign or missing term (those give errors of order 1).
     */
    private static final double NORM_TOLERANCE = 1e-6;
    /**
     * Per component the same error budget, measured against the gradient's largest component so
     * that components that are (near) zero are not compared relatively to themselves.
     */
    private static final double COMPONENT_TOLERANCE = 1e-6;
    /** ReLU preactivations must stay this far from the kink so ±STEP never crosses it. */
    private static final double KINK_MARGIN = 1e-3;

    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (Activation a : Activation.values()) {
            for (LossKind l : LossKind.values()) {
                for (Parametrization pz : Parametrization.values()) {
                    all.add(Arguments.of(a, l, pz));
                }
            }
        }
        return all.stream();
    }

    /** A handful of training rows of add mod P, picked with a repeat to exercise accumulation. */
    private static final Dataset DATA = Dataset.of(Tasks.parse("add", P));
    private static final int[] ROWS = {0, 3, 7, 12, 13, 18, 24, 7, 21};

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("combinations")
    void analyticGradientMatchesCentralDifferences(Activation act, LossKind loss, Parametrization pz) {
        ModelShape shape = new ModelShape(P, WIDTH, act, pz, loss);
        double[] w1t = new double[shape.w1Size()];
        double[] w2 = new double[shape.w2Size()];
        long seed = 11L * act.ordinal() + 3L * loss.ordinal() + pz.ordinal();
        for (int attempt = 0; ; attempt++) {
            if (attempt > 100) {
                fail("no weights with ReLU preactivations away from 0");
            }
            SplitMix64 rng = new SplitMix64(seed + 1000L * attempt);
            double s1 = pz == Parametrization.STANDARD ? 1.0 / Math.sqrt(2 * P) : 1.0;
            double s2 = pz == Parametrization.STANDARD ? 1.0 / Math.sqrt(WIDTH) : 1.0;
            // moderate weights: keeps cube/quad outputs of order 1 so the loss is well scaled
            for (int i = 0; i < w1t.length; i++) {
                w1t[i] = 0.7 * s1 * rng.nextGaussian();
            }
            for (int i = 0; i < w2.length; i++) {
                w2[i] = s2 * rng.nextGaussian();
            }
            if (act != Activation.RELU || awayFromKink(shape, w1t)) {
                break;
            }
        }

        double[] g1 = new double[w1t.length];
        double[] g2 = new double[w2.length];
        double[] stats = ReferenceModel.gradient(shape, w1t, w2, DATA, ROWS, g1, g2);
        double[] plain = ReferenceModel.lossAndAccuracy(shape, w1t, w2, DATA, ROWS);
        // the same code path with and without the backward pass: identical loss and accuracy
        assertEquals(plain[0], stats[0], 0.0);
        assertEquals(plain[1], stats[1], 0.0);
        assertTrue(stats[0] > 0 && Double.isFinite(stats[0]), "loss " + stats[0]);

        double[] fd1 = finiteDifferences(shape, w1t, w1t, w2);
        double[] fd2 = finiteDifferences(shape, w2, w1t, w2);
        check("W1", g1, fd1);
        check("W2", g2, fd2);
        // W1 rows of inputs that never occur in ROWS get no gradient at all
        boolean[] used = new boolean[2 * P];
        for (int r : ROWS) {
            used[DATA.n()[r]] = true;
            used[P + DATA.m()[r]] = true;
        }
        for (int j = 0; j < 2 * P; j++) {
            for (int k = 0; k < WIDTH && !used[j]; k++) {
                assertEquals(0.0, g1[j * WIDTH + k], 0.0, "unused input row " + j);
            }
        }
    }

    private static boolean awayFromKink(ModelShape shape, double[] w1t) {
        for (int r : ROWS) {
            int a = DATA.n()[r];
            int c = P + DATA.m()[r];
            for (int k = 0; k < WIDTH; k++) {
                if (Math.abs(w1t[a * WIDTH + k] + w1t[c * WIDTH + k]) < KINK_MARGIN) {
                    return false;
                }
            }
        }
        return true;
    }

    /** dL/dθ for every entry of {@code target} (which is one of w1t, w2), by central differences. */
    private static double[] finiteDifferences(ModelShape shape, double[] target, double[] w1t, double[] w2) {
        double[] fd = new double[target.length];
        for (int i = 0; i < target.length; i++) {
            double saved = target[i];
            target[i] = saved + STEP;
            double plus = ReferenceModel.lossAndAccuracy(shape, w1t, w2, DATA, ROWS)[0];
            target[i] = saved - STEP;
            double minus = ReferenceModel.lossAndAccuracy(shape, w1t, w2, DATA, ROWS)[0];
            target[i] = saved;
            fd[i] = (plus - minus) / (2 * STEP);
        }
        return fd;
    }

    private static void check(String name, double[] analytic, double[] fd) {
        double diff = 0.0;
        double norm = 0.0;
        double max = 0.0;
        for (int i = 0; i < analytic.length; i++) {
            diff += (analytic[i] - fd[i]) * (analytic[i] - fd[i]);
            norm += fd[i] * fd[i];
            max = Math.max(max, Math.abs(fd[i]));
        }
        assertTrue(norm > 0, name + " gradient is zero");
        double rel = Math.sqrt(diff / norm);
        assertTrue(rel < NORM_TOLERANCE, name + ": relative error in norm " + rel);
        for (int i = 0; i < analytic.length; i++) {
            double err = Math.abs(analytic[i] - fd[i]) / max;
            assertTrue(err < COMPONENT_TOLERANCE,
                    name + "[" + i + "]: analytic " + analytic[i] + ", finite difference " + fd[i]);
        }
    }
}
