package org.grokscope.compute.analytic;

import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.rng.SplitMix64;

/**
 * Gromov's analytic weights (SCIENCE.md §7). Modular addition with quadratic φ: neuron k on
 * frequency ν_k = 1 + (k mod ⌊(p−1)/2⌋), W1[k, n] = cos(2πν_k n/p + φ1_k),
 * W1[k, p+m] = cos(2πν_k m/p + φ2_k), W2[q, k] = cos(−2πν_k q/p − φ3_k), φ1, φ2 ~ U(0, 2π),
 * φ3 = φ1 + φ2. The same weights serve other activations at larger width.
 */
public final class AnalyticSolutions {
    private AnalyticSolutions() {
    }

    public static Weights addition(ModelShape shape, long seed) {
        int p = shape.p();
        int n = shape.width();
        int frequencies = Math.max(1, (p - 1) / 2);
        SplitMix64 rng = new SplitMix64(seed);
        float[] w1 = new float[n * 2 * p];
        float[] w2 = new float[p * n];
        for (int k = 0; k < n; k++) {
            int nu = 1 + (k % frequencies);
            double phi1 = 2.0 * Math.PI * rng.nextDouble();
            double phi2 = 2.0 * Math.PI * rng.nextDouble();
            double phi3 = phi1 + phi2;
            for (int i = 0; i < p; i++) {
                double angle = 2.0 * Math.PI * nu * i / p;
                w1[k * 2 * p + i] = (float) Math.cos(angle + phi1);
                w1[k * 2 * p + p + i] = (float) Math.cos(angle + phi2);
                w2[i * n + k] = (float) Math.cos(-angle - phi3);
            }
        }
        return Weights.fromPaperLayout(shape, w1, w2);
    }
}
