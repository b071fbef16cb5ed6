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

    /**
     * |DFT2(f)|[νn][νm] for νn, νm in 0..p−1, separably: a DFT along m for every row, then along
     * n for every column, O(p³) with tables indexed by νi mod p (the definition is O(p⁴) and
     * takes seconds at p = 97; {@link #naiveMagnitude} is its twin).
     */
    public static double[][] magnitude(double[][] f) {
        // f is (p,p) [n][m]; rowRe/rowIm (p,p) [n][νm]; the result (p,p) [νn][νm]
        int p = f.length;
        double[] cos = new double[p];
        double[] sin = new double[p];
        for (int j = 0; j < p; j++) {
            cos[j] = Math.cos(2.0 * Math.PI * j / p);
            sin[j] = Math.sin(2.0 * Math.PI * j / p);
        }
        double[][] rowRe = new double[p][p];
        double[][] rowIm = new double[p][p];
        for (int a = 0; a < p; a++) {
            for (int v = 0; v < p; v++) {
                double r = 0.0;
                double i = 0.0;
                int j = 0;
                for (int b = 0; b < p; b++) {
                    r += f[a][b] * cos[j];
                    i -= f[a][b] * sin[j];
                    j += v;
                    if (j >= p) {
                        j -= p;
                    }
                }
                rowRe[a][v] = r;
                rowIm[a][v] = i;
            }
        }
        double[][] mag = new double[p][p];
        for (int u = 0; u < p; u++) {
            for (int v = 0; v < p; v++) {
                double r = 0.0;
                double i = 0.0;
                int j = 0;
                for (int a = 0; a < p; a++) {
                    // (x + iy)·(cos − i·sin)
                    r += rowRe[a][v] * cos[j] + rowIm[a][v] * sin[j];
                    i += rowIm[a][v] * cos[j] - rowRe[a][v] * sin[j];
                    j += u;
                    if (j >= p) {
                        j -= p;
                    }
                }
                mag[u][v] = Math.hypot(r, i);
            }
        }
        return mag;
    }

    /** The naive twin of {@link #magnitude}: the 2-D definition, Math.cos and Math.sin at every term. */
    public static double[][] naiveMagnitude(double[][] f) {
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
