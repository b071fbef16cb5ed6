package org.grokscope.compute.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.stream.Stream;
import org.grokscope.compute.rng.SplitMix64;
import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.OptimizerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Optimizer#update} (range-split, as the CPU backend runs it) against
 * {@link Optimizer#updateNaive}, and both rules against closed forms computed by hand.
 */
class OptimizerTest {
    private static OptimizerSpec gd(double lr, double momentum, boolean nesterov, double wd) {
        return new OptimizerSpec(OptimizerKind.GD, lr, momentum, nesterov, wd, 0.9, 0.98, 1e-8);
    }

    private static OptimizerSpec adamw(double lr, double wd, double beta1, double beta2, double eps) {
        return new OptimizerSpec(OptimizerKind.ADAMW, lr, 0.0, false, wd, beta1, beta2, eps);
    }

    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of("gd", gd(0.1, 0.0, false, 0.0)),
                Arguments.of("gd+wd", gd(0.05, 0.0, false, 0.3)),
                Arguments.of("gd+heavy-ball", gd(0.1, 0.9, false, 0.0)),
                Arguments.of("gd+heavy-ball+wd", gd(0.1, 0.5, false, 0.01)),
                Arguments.of("gd+nesterov", gd(0.07, 0.9, true, 0.0)),
                Arguments.of("gd+nesterov+wd", gd(0.07, 0.8, true, 0.2)),
                Arguments.of("adamw", adamw(0.003, 0.0, 0.9, 0.98, 1e-8)),
                Arguments.of("adamw+wd", adamw(0.01, 1.0, 0.9, 0.999, 1e-8)),
                Arguments.of("adamw odd", adamw(0.1, 0.05, 0.5, 0.7, 1e-3)));
    }

    /**
     * Bit-identical, not merely close: both are float code with the same operations in the same
     * order (Java float arithmetic is strict), so any difference is a divergence of the twins.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void rangeUpdateIsBitIdenticalToTheNaiveTwin(String name, OptimizerSpec spec) {
        int len = 103;
        SplitMix64 rng = new SplitMix64(name.hashCode());
        float[] w = new float[len];
        for (int i = 0; i < len; i++) {
            w[i] = (float) rng.nextGaussian();
        }
        // a few special values: exact zeros of weight and gradient
        w[5] = 0.0f;
        float[] wN = w.clone();
        float[] s1 = new float[len];
        float[] s2 = new float[len];
        float[] s1N = new float[len];
        float[] s2N = new float[len];
        Optimizer opt = new Optimizer(spec);
        int[] cuts = {0, 1, 40, 41, 77, len};
        for (long t = 1; t <= 12; t++) {
            float[] g = new float[len];
            for (int i = 0; i < len; i++) {
                g[i] = (float) (rng.nextGaussian() * Math.pow(10, (i % 7) - 4));
            }
            g[9] = 0.0f;
            Optimizer.StepConstants c = opt.constants(t);
            // the ranges in a scrambled order: the result must not depend on which runs first
            int[] order = {3, 0, 4, 2, 1};
            for (int r : order) {
                opt.update(c, w, g, s1, s2, cuts[r], cuts[r + 1]);
            }
            Optimizer.updateNaive(spec, t, wN, g, s1N, s2N);
            assertArrayEquals(wN, w, "weights after step " + t);
            assertArrayEquals(s1N, s1, "first buffer after step " + t);
            assertArrayEquals(s2N, s2, "second buffer after step " + t);
        }
        float[] start = new float[len];
        SplitMix64 again = new SplitMix64(name.hashCode());
        for (int i = 0; i < len; i++) {
            start[i] = (float) again.nextGaussian();
        }
        start[5] = 0.0f;
        assertNotEquals(java.util.Arrays.toString(start), java.util.Arrays.toString(w), "the weights moved");
    }

    /** An empty range touches nothing. */
    @Test
    void emptyRangeIsANoOp() {
        Optimizer opt = new Optimizer(adamw(0.1, 0.5, 0.9, 0.98, 1e-8));
        float[] w = {1, 2, 3};
        float[] g = {1, 1, 1};
        float[] s1 = new float[3];
        float[] s2 = new float[3];
        opt.update(opt.constants(1), w, g, s1, s2, 2, 2);
        assertArrayEquals(new float[] {1, 2, 3}, w);
        assertArrayEquals(new float[3], s1);
    }

    /**
     * PyTorch's AdamW written out in double for one scalar, two steps:
     * w ← w·(1 − lr·wd); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
     * w ← w − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + eps).
     * The optimizer runs in float: a few roundings of size 2⁻²⁴ ≈ 6e-8 per step on values of order
     * one, so 1e-6 relative is a comfortable bound that still sees any misplaced bias correction
     * (those change the step by ~10% or more).
     */
    @Test
    void adamwMatchesPyTorchClosedFormForTwoSteps() {
        double lr = 0.01;
        double wd = 0.1;
        double b1 = 0.9;
        double b2 = 0.98;
        double eps = 1e-8;
        OptimizerSpec spec = adamw(lr, wd, b1, b2, eps);
        float[] grads = {0.3f, -0.7f};
        for (boolean naive : new boolean[] {false, true}) {
            float[] w = {0.5f};
            float[] s1 = {0.0f};
            float[] s2 = {0.0f};
            Optimizer opt = new Optimizer(spec);
            double ew = 0.5;
            double m = 0.0;
            double v = 0.0;
            for (int t = 1; t <= 2; t++) {
                double g = grads[t - 1];
                float[] ga = {grads[t - 1]};
                if (naive) {
                    Optimizer.updateNaive(spec, t, w, ga, s1, s2);
                } else {
                    opt.update(opt.constants(t), w, ga, s1, s2, 0, 1);
                }
                ew = ew * (1 - lr * wd);
                m = b1 * m + (1 - b1) * g;
                v = b2 * v + (1 - b2) * g * g;
                double bc1 = 1 - Math.pow(b1, t);
                double bc2 = 1 - Math.pow(b2, t);
                ew = ew - lr / bc1 * m / (Math.sqrt(v) / Math.sqrt(bc2) + eps);
                assertEquals(m, s1[0], 1e-6 * Math.abs(m), "m after step " + t);
                assertEquals(v, s2[0], 1e-6 * Math.abs(v), "v after step " + t);
                assertEquals(ew, w[0], 1e-6 * Math.abs(ew), (naive ? "naive" : "update") + " w after step " + t);
            }
            // the same two steps fully by hand with the decimal gradients 0.3, -0.7:
            // step 1: m̂ = 0.3, √v̂ = 0.3, so w₁ = 0.5·0.999 − 0.01·0.3/(0.3 + 1e-8) ≈ 0.4895;
            // step 2: m = 0.9·0.03 − 0.1·0.7 = −0.043, v = 0.98·0.0018 + 0.02·0.49 = 0.011564,
            // m̂ = −0.043/0.19, v̂ = 0.011564/0.0396
            double w1 = 0.5 * 0.999 - 0.01 * 0.3 / (0.3 + 1e-8);
            double expected2 = w1 * 0.999 - 0.01 * (-0.043 / 0.19) / (Math.sqrt(0.011564 / 0.0396) + 1e-8);
            // the float gradients 0.3f, -0.7f differ from 0.3, -0.7 by ~1e-8 relative: 1e-6 still holds
            assertEquals(expected2, w[0], 1e-6 * Math.abs(expected2));
        }
    }

    /**
     * Heavy-ball GD (PyTorch SGD, momentum μ, no dampening) on f(w) = w²/2, where g = w:
     * buf_t = μ·buf_{t−1} + w_{t−1}, w_t = w_{t−1} − lr·buf_t. Eliminating buf gives
     * w_{t+1} = (1 + μ − lr)·w_t − μ·w_{t−1} with w_1 = (1 − lr)·w_0, solved in closed form by the
     * roots r₁, r₂ of r² − (1 + μ − lr)·r + μ = 0: w_t = A·r₁ᵗ + B·r₂ᵗ. The float iteration picks
     * up ~6e-8 relative error per step, amplified at most a few-fold by the stable recurrence; over
     * 40 steps 2e-5 relative is ample.
     */
    @Test
    void heavyBallOnAQuadraticFollowsTheClosedFormRecurrence() {
        double lr = 0.1;
        double mu = 0.3;
        OptimizerSpec spec = gd(lr, mu, false, 0.0);
        double sum = 1 + mu - lr;
        double disc = Math.sqrt(sum * sum - 4 * mu);
        double r1 = (sum + disc) / 2;
        double r2 = (sum - disc) / 2;
        float[] w0 = {1.0f, -2.0f, 0.5f, 3.0f};
        float[] w = w0.clone();
        float[] wN = w0.clone();
        float[] s1 = new float[w.length];
        float[] s1N = new float[w.length];
        float[] unused = new float[w.length];
        Optimizer opt = new Optimizer(spec);
        for (int t = 1; t <= 40; t++) {
            opt.update(opt.constants(t), w, w.clone(), s1, unused, 0, w.length);
            Optimizer.updateNaive(spec, t, wN, wN.clone(), s1N, unused);
            for (int i = 0; i < w.length; i++) {
                double a0 = w0[i];
                double a1 = (1 - lr) * w0[i];
                // A + B = w0, A·r1 + B·r2 = w1
                double bCoef = (a1 - r1 * a0) / (r2 - r1);
                double aCoef = a0 - bCoef;
                double expected = aCoef * Math.pow(r1, t) + bCoef * Math.pow(r2, t);
                assertEquals(expected, w[i], 2e-5 * Math.abs(expected), "w[" + i + "] at step " + t);
                assertEquals(expected, wN[i], 2e-5 * Math.abs(expected), "naive w[" + i + "] at step " + t);
            }
        }
        assertEquals(0.0, w[3], 0.01, "converges towards the minimum");
    }

    /**
     * Nesterov (PyTorch): buf = μ·buf + g, w ← w − lr·(g + μ·buf); with L2 decay g = ∇f + wd·w.
     * Simulated here in double on f(w) = w²/2; same float-drift budget as above.
     */
    @Test
    void nesterovWithWeightDecayOnAQuadraticMatchesADoubleSimulation() {
        double lr = 0.05;
        double mu = 0.9;
        double wd = 0.1;
        OptimizerSpec spec = gd(lr, mu, true, wd);
        float[] w = {1.0f, -0.25f};
        float[] s1 = new float[2];
        double[] ew = {1.0, -0.25};
        double[] buf = new double[2];
        Optimizer opt = new Optimizer(spec);
        for (int t = 1; t <= 30; t++) {
            opt.update(opt.constants(t), w, w.clone(), s1, new float[2], 0, 2);
            for (int i = 0; i < 2; i++) {
                double g = ew[i] + wd * ew[i];
                buf[i] = mu * buf[i] + g;
                ew[i] -= lr * (g + mu * buf[i]);
                assertEquals(ew[i], w[i], 2e-5 * Math.abs(ew[i]) + 1e-7, "w[" + i + "] at step " + t);
            }
        }
    }

    /** The step constants: lr/(1−β₁ᵗ), √(1−β₂ᵗ), 1 − lr·wd, rounded once to float. */
    @Test
    void stepConstantsAreTheBiasCorrections() {
        Optimizer opt = new Optimizer(adamw(0.003, 0.5, 0.9, 0.98, 1e-8));
        for (long t : new long[] {1, 2, 10, 1000}) {
            Optimizer.StepConstants c = opt.constants(t);
            assertEquals((float) (0.003 / (1 - Math.pow(0.9, t))), c.stepSize(), Math.ulp(c.stepSize()));
            assertEquals((float) Math.sqrt(1 - Math.pow(0.98, t)), c.bc2Sqrt(), Math.ulp(c.bc2Sqrt()));
            assertEquals((float) (1 - 0.003 * 0.5), c.decayFactor(), 0.0f);
        }
    }
}
