package org.grokscope.compute.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Comparisons of a fast engine against the naive twin, shared by the CPU and OpenCL twin tests.
 * Float32 engines with another summation order against a double reference: gradients within
 * {@link #GRAD_REL} relative (Frobenius), loss within {@link #LOSS_REL} relative.
 */
public final class EngineAssertions {
    /**
     * Gradients: the fast engines work in float32 (unit roundoff 6e-8) over dot products of length
     * N (logits, dZ) and sums of a few hundred samples (dW), each step of which may lose a few ulps:
     * the accumulated error is ≲ 1e-5 of the gradient's magnitude even in the worst order, and far
     * less on average. The naive gradient is exact double rounded once to float. Measured in the
     * norm of the whole tensor, 1e-4 leaves margin; any indexing or scaling bug gives O(1).
     */
    public static final double GRAD_REL = 1e-4;
    /** Losses: a float forward pass against double, summed in double; same reasoning as above. */
    public static final double LOSS_REL = 1e-5;

    private EngineAssertions() {
    }

    public static double norm(float[] a) {
        double s = 0.0;
        for (float v : a) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    public static double diffNorm(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    public static void assertGradientsClose(String what, TrainingEngine naive, TrainingEngine fast) {
        float[] n1 = naive.gradW1t();
        float[] n2 = naive.gradW2();
        assertTrue(norm(n1) > 0 && norm(n2) > 0, what + ": zero reference gradient");
        double e1 = diffNorm(n1, fast.gradW1t()) / norm(n1);
        double e2 = diffNorm(n2, fast.gradW2()) / norm(n2);
        assertTrue(e1 < GRAD_REL, what + ": W1 gradient relative error " + e1);
        assertTrue(e2 < GRAD_REL, what + ": W2 gradient relative error " + e2);
    }

    /**
     * Accuracy: a float and a double forward pass can only disagree on a sample whose two best
     * logits are within float roundoff; allow one such sample, not more.
     */
    public static void assertStatsClose(String what, BatchStats naive, BatchStats fast) {
        assertEquals(naive.samples(), fast.samples(), what + " samples");
        assertEquals(naive.loss(), fast.loss(), LOSS_REL * Math.abs(naive.loss()), what + " loss");
        assertEquals(naive.accuracy(), fast.accuracy(), 1.0 / naive.samples() + 1e-12, what + " accuracy");
    }
}
