package org.grokscope.compute.optim;

import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.OptimizerSpec;

/**
 * The parameter update, elementwise over flat float arrays, with PyTorch's semantics: SGD with
 * L2 weight decay added to the gradient and heavy-ball or Nesterov momentum (no dampening), and
 * AdamW (bias-corrected moments, decoupled decay). {@link #update} works on an index range so the
 * backend can split a tensor over threads; {@link #updateNaive} is its whole-array twin.
 * Bias corrections use StrictMath so every JVM gets the same bits.
 */
public final class Optimizer {
    private final OptimizerSpec spec;

    public Optimizer(OptimizerSpec spec) {
        this.spec = spec;
    }

    public OptimizerSpec spec() {
        return spec;
    }

    /** Scalars of step t (1-based) that all elements share. */
    public record StepConstants(float lr, float weightDecay, float momentum, float beta1, float beta2,
                                float eps, float stepSize, float bc2Sqrt, float decayFactor) {
    }

    public StepConstants constants(long t) {
        if (spec.kind() == OptimizerKind.ANALYTIC) {
            // an engine may hold analytic weights for evaluation, but they are constructed, never stepped
            throw new IllegalStateException("analytic weights are not trained");
        }
        float lr = (float) spec.lr();
        float wd = (float) spec.weightDecay();
        double bc1 = 1.0 - StrictMath.pow(spec.beta1(), t);
        double bc2 = 1.0 - StrictMath.pow(spec.beta2(), t);
        return new StepConstants(lr, wd, (float) spec.momentum(), (float) spec.beta1(), (float) spec.beta2(),
                (float) spec.eps(), (float) (spec.lr() / bc1), (float) Math.sqrt(bc2),
                (float) (1.0 - spec.lr() * spec.weightDecay()));
    }

    /** Updates w[from..to) in place from gradient g and the state buffers s1, s2. */
    public void update(StepConstants c, float[] w, float[] g, float[] s1, float[] s2, int from, int to) {
        if (spec.kind() == OptimizerKind.ADAMW) {
            float b1 = c.beta1();
            float b2 = c.beta2();
            float ob1 = 1.0f - b1;
            float ob2 = 1.0f - b2;
            for (int i = from; i < to; i++) {
                float gi = g[i];
                float m = b1 * s1[i] + ob1 * gi;
                float v = b2 * s2[i] + ob2 * gi * gi;
                s1[i] = m;
                s2[i] = v;
                float denom = (float) Math.sqrt(v) / c.bc2Sqrt() + c.eps();
                w[i] = w[i] * c.decayFactor() - c.stepSize() * (m / denom);
            }
        } else if (spec.momentum() == 0.0) {
            float lr = c.lr();
            float wd = c.weightDecay();
            for (int i = from; i < to; i++) {
                w[i] -= lr * (g[i] + wd * w[i]);
            }
        } else {
            float lr = c.lr();
            float wd = c.weightDecay();
            float mu = c.momentum();
            boolean nesterov = spec.nesterov();
            for (int i = from; i < to; i++) {
                float gi = g[i] + wd * w[i];
                float buf = mu * s1[i] + gi;
                s1[i] = buf;
                w[i] -= lr * (nesterov ? gi + mu * buf : buf);
            }
        }
    }

    /** The naive twin: one plain loop per rule over the whole array, written out separately. */
    public static void updateNaive(OptimizerSpec spec, long t, float[] w, float[] g, float[] s1, float[] s2) {
        for (int i = 0; i < w.length; i++) {
            if (spec.kind() == OptimizerKind.ADAMW) {
                w[i] = w[i] * (float) (1.0 - spec.lr() * spec.weightDecay());
                s1[i] = (float) spec.beta1() * s1[i] + (1.0f - (float) spec.beta1()) * g[i];
                s2[i] = (float) spec.beta2() * s2[i] + (1.0f - (float) spec.beta2()) * g[i] * g[i];
                float stepSize = (float) (spec.lr() / (1.0 - StrictMath.pow(spec.beta1(), t)));
                float bc2Sqrt = (float) Math.sqrt(1.0 - StrictMath.pow(spec.beta2(), t));
                w[i] = w[i] - stepSize * (s1[i] / ((float) Math.sqrt(s2[i]) / bc2Sqrt + (float) spec.eps()));
            } else {
                float d = g[i] + (float) spec.weightDecay() * w[i];
                if (spec.momentum() != 0.0) {
                    s1[i] = (float) spec.momentum() * s1[i] + d;
                    d = spec.nesterov() ? d + (float) spec.momentum() * s1[i] : s1[i];
                }
                w[i] = w[i] - (float) spec.lr() * d;
            }
        }
    }
}
