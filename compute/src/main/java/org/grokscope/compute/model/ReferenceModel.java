package org.grokscope.compute.model;

import org.grokscope.compute.task.Dataset;
import org.grokscope.protocol.LossKind;

/**
 * The model written the obvious way, in double precision, one sample at a time: the independent
 * reference for gradient checks (against finite differences) and for the naive backend.
 * Weights use the engine layout: w1t is (2p, N), w2 is (p, N).
 */
public final class ReferenceModel {
    private ReferenceModel() {
    }

    /** Loss and accuracy over the rows (null: all rows). */
    public static double[] lossAndAccuracy(ModelShape shape, double[] w1t, double[] w2, Dataset data, int[] rows) {
        return run(shape, w1t, w2, data, rows, null, null);
    }

    /**
     * Loss over the rows; fills gw1t and gw2 (same layouts as the weights) with dL/dW.
     *
     * @return {loss, accuracy}
     */
    public static double[] gradient(ModelShape shape, double[] w1t, double[] w2, Dataset data, int[] rows,
                                    double[] gw1t, double[] gw2) {
        java.util.Arrays.fill(gw1t, 0.0);
        java.util.Arrays.fill(gw2, 0.0);
        return run(shape, w1t, w2, data, rows, gw1t, gw2);
    }

    private static double[] run(ModelShape shape, double[] w1t, double[] w2, Dataset data, int[] rows,
                                double[] gw1t, double[] gw2) {
        int p = shape.p();
        int n = shape.width();
        double s = shape.parametrization() == org.grokscope.protocol.Parametrization.MEAN_FIELD ? 2.0 / n : 1.0;
        int batch = rows == null ? data.size() : rows.length;
        double[] h = new double[n];
        double[] z = new double[n];
        double[] out = new double[p];
        double[] r = new double[p];
        double loss = 0.0;
        int correct = 0;
        for (int i = 0; i < batch; i++) {
            int b = rows == null ? i : rows[i];
            int a = data.n()[b];
            int c = p + data.m()[b];
            int label = data.q()[b];
            for (int k = 0; k < n; k++) {
                h[k] = w1t[a * n + k] + w1t[c * n + k];
                z[k] = Activations.phi(shape.activation(), h[k]);
            }
            int best = 0;
            for (int j = 0; j < p; j++) {
                double sum = 0.0;
                for (int k = 0; k < n; k++) {
                    sum += w2[j * n + k] * z[k];
                }
                out[j] = s * sum;
                if (out[j] > out[best]) {
                    best = j;
                }
            }
            if (best == label) {
                correct++;
            }
            if (shape.loss() == LossKind.MSE) {
                for (int j = 0; j < p; j++) {
                    double d = out[j] - (j == label ? 1.0 : 0.0);
                    loss += d * d / ((double) batch * p);
                    r[j] = 2.0 * d / ((double) batch * p);
                }
            } else {
                double max = out[0];
                for (int j = 1; j < p; j++) {
                    max = Math.max(max, out[j]);
                }
                double norm = 0.0;
                for (int j = 0; j < p; j++) {
                    norm += Math.exp(out[j] - max);
                }
                loss += (Math.log(norm) - (out[label] - max)) / batch;
                for (int j = 0; j < p; j++) {
                    r[j] = (Math.exp(out[j] - max) / norm - (j == label ? 1.0 : 0.0)) / batch;
                }
            }
            if (gw1t == null) {
                continue;
            }
            for (int k = 0; k < n; k++) {
                double dz = 0.0;
                for (int j = 0; j < p; j++) {
                    gw2[j * n + k] += s * r[j] * z[k];
                    dz += s * r[j] * w2[j * n + k];
                }
                double g = Activations.dphi(shape.activation(), h[k]) * dz;
                gw1t[a * n + k] += g;
                gw1t[c * n + k] += g;
            }
        }
        return new double[] {loss, batch == 0 ? 0.0 : (double) correct / batch};
    }

    public static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    public static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
