package org.grokscope.compute.analysis;

import org.grokscope.compute.model.Activations;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.Weights;

/**
 * The Fourier image of the network function (Fig. 2): out_q(n, m) over all p² inputs for one
 * output q, and the magnitude of its 2-D DFT. A grokked addition network concentrates it on the
 * line ν_n = ν_m.
 */
public final class FunctionImage {
    private FunctionImage() {
    }

    /** out_q(n, m) as a p×p array [n][m], in double. */
    public static double[][] outputs(Weights weights, int q) {
        ModelShape shape = weights.shape();
        int p = shape.p();
        int n = shape.width();
        double s = shape.readoutScale();
        float[] e = weights.w1t();
        float[] w2 = weights.w2();
        double[][] out = new double[p][p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                double sum = 0.0;
                for (int k = 0; k < n; k++) {
                    double h = (double) e[a * n + k] + e[(p + b) * n + k];
                    sum += w2[q * n + k] * Activations.phi(shape.activation(), h);
                }
                out[a][b] = s * sum;
            }
        }
        return out;
    }

    /** |DFT2(f)|[νn][νm] for νn, νm in 0..p−1. */
    public static double[][] magnitude(double[][] f) {
        int p = f.length;
        double[][] re = new double[p][p];
        double[][] im = new double[p][p];
        for (int u = 0; u < p; u++) {
            for (int v = 0; v < p; v++) {
                double r = 0.0;
                double i = 0.0;
                for (int a = 0; a < p; a++) {
                    for (int b = 0; b < p; b++) {
                        double angle = -2.0 * Math.PI * (((long) u * a + (long) v * b) % p) / p;
                        r += f[a][b] * Math.cos(angle);
                        i += f[a][b] * Math.sin(angle);
                    }
                }
                re[u][v] = r;
                im[u][v] = i;
            }
        }
        double[][] mag = new double[p][p];
        for (int u = 0; u < p; u++) {
            for (int v = 0; v < p; v++) {
                mag[u][v] = Math.hypot(re[u][v], im[u][v]);
            }
        }
        return mag;
    }
}
