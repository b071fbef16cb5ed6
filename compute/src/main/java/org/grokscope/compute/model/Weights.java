package org.grokscope.compute.model;

import java.util.Arrays;
import org.grokscope.compute.rng.SplitMix64;
import org.grokscope.protocol.Parametrization;

/**
 * The parameters of a network. W1 is kept transposed, as {@code w1t} of shape (2p, N): the input
 * layer is an embedding gather (row n plus row p+m), so rows must be contiguous. {@link #w1()}
 * gives the paper's N×2p layout for checkpoints and analysis.
 */
public record Weights(ModelShape shape, float[] w1t, float[] w2) {
    public Weights {
        if (w1t.length != shape.w1Size() || w2.length != shape.w2Size()) {
            throw new IllegalArgumentException("weight sizes do not match the shape " + shape);
        }
    }

    /**
     * Initial weights: W1 entries drawn in the paper's (k, j) row-major order, then W2 in (q, k)
     * order. Mean-field: N(0, 1). Standard: N(0, 1/fan_in), fan_in 2p for W1 and N for W2.
     */
    public static Weights init(ModelShape shape, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        int n = shape.width();
        int in = shape.inputs();
        boolean standard = shape.parametrization() == Parametrization.STANDARD;
        double s1 = standard ? 1.0 / Math.sqrt(in) : 1.0;
        double s2 = standard ? 1.0 / Math.sqrt(n) : 1.0;
        float[] w1t = new float[shape.w1Size()];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < in; j++) {
                w1t[j * n + k] = (float) (s1 * rng.nextGaussian());
            }
        }
        float[] w2 = new float[shape.w2Size()];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (float) (s2 * rng.nextGaussian());
        }
        return new Weights(shape, w1t, w2);
    }

    /** Weights from the paper's layout (W1 as N×2p, as checkpoints store it). */
    public static Weights fromPaperLayout(ModelShape shape, float[] w1, float[] w2) {
        int n = shape.width();
        int in = shape.inputs();
        if (w1.length != n * in) {
            throw new IllegalArgumentException("W1 has " + w1.length + " entries, expected " + n * in);
        }
        return new Weights(shape, transpose(w1, n, in), w2.clone());
    }

    /** W1 in the paper's layout: N rows, 2p columns, row-major. */
    public float[] w1() {
        return transpose(w1t, shape.inputs(), shape.width());
    }

    /** A (rows, cols) row-major matrix as its (cols, rows) transpose, in a new array. */
    public static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    public Weights copy() {
        return new Weights(shape, w1t.clone(), w2.clone());
    }

    /** Bitwise equality of all weights (records compare arrays by reference). */
    public boolean sameBits(Weights other) {
        return Arrays.equals(w1t, other.w1t) && Arrays.equals(w2, other.w2);
    }
}
