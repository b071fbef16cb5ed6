package org.grokscope.compute.model;

import org.grokscope.protocol.Activation;

/**
 * The activation φ and its derivative, twice: fused float row kernels for the fast backend
 * (gather + φ forward, φ' + scatter-add backward) and plain double scalars for the reference
 * model and gradient checks. GELU is the tanh approximation (PyTorch's approximate='tanh').
 */
public final class Activations {
    private static final double GELU_C = Math.sqrt(2.0 / Math.PI);
    private static final double GELU_A = 0.044715;

    private Activations() {
    }

    /** φ(h) in double. */
    public static double phi(Activation a, double h) {
        switch (a) {
            case QUAD: return h * h;
            case RELU: return Math.max(h, 0.0); // NaN stays NaN, as in the float kernel
            case GELU: return 0.5 * h * (1.0 + Math.tanh(GELU_C * (h + GELU_A * h * h * h)));
            case TANH: return Math.tanh(h);
            case IDENTITY: return h;
            case CUBE: return h * h * h;
            default: throw new IllegalArgumentException(a.toString());
        }
    }

    /** φ'(h) in double. */
    public static double dphi(Activation a, double h) {
        switch (a) {
            case QUAD: return 2.0 * h;
            case RELU: return h > 0 ? 1.0 : 0.0;
            case GELU: {
                double u = GELU_C * (h + GELU_A * h * h * h);
                double t = Math.tanh(u);
                double du = GELU_C * (1.0 + 3.0 * GELU_A * h * h);
                return 0.5 * (1.0 + t) + 0.5 * h * (1.0 - t * t) * du;
            }
            case TANH: {
                double t = Math.tanh(h);
                return 1.0 - t * t;
            }
            case IDENTITY: return 1.0;
            case CUBE: return 3.0 * h * h;
            default: throw new IllegalArgumentException(a.toString());
        }
    }

    /**
     * Gather and activate one sample: z[k] = φ(x1[k] + x2[k]) for k < n, where x1 and x2 are the
     * embedding rows n and p+m of w1t. Rows are separate arrays indexed from 0: HotSpot's C2 (JDK
     * 17) vectorises such loops, but not loops over one array at two runtime offsets.
     */
    public static void forwardRow(Activation a, float[] x1, float[] x2, float[] z, int n) {
        switch (a) {
            case QUAD:
                for (int k = 0; k < n; k++) {
                    float h = x1[k] + x2[k];
                    z[k] = h * h;
                }
                break;
            case RELU:
                for (int k = 0; k < n; k++) {
                    z[k] = Math.max(x1[k] + x2[k], 0.0f);
                }
                break;
            case IDENTITY:
                for (int k = 0; k < n; k++) {
                    z[k] = x1[k] + x2[k];
                }
                break;
            case CUBE:
                for (int k = 0; k < n; k++) {
                    float h = x1[k] + x2[k];
                    z[k] = h * h * h;
                }
                break;
            default:
                for (int k = 0; k < n; k++) {
                    z[k] = (float) phi(a, x1[k] + x2[k]);
                }
        }
    }

    /**
     * Backward of one sample into the W1 gradient: g = φ'(h)·dz with h = x1 + x2 recomputed
     * (cheaper than storing H), scatter-added into the gradient rows g1 and g2 of the same two
     * embedding rows.
     */
    public static void backwardRow(Activation a, float[] x1, float[] x2, float[] dz, float[] g1, float[] g2, int n) {
        switch (a) {
            case QUAD:
                for (int k = 0; k < n; k++) {
                    float g = 2.0f * (x1[k] + x2[k]) * dz[k];
                    g1[k] += g;
                    g2[k] += g;
                }
                break;
            case RELU:
                for (int k = 0; k < n; k++) {
                    float g = (x1[k] + x2[k]) > 0.0f ? dz[k] : 0.0f;
                    g1[k] += g;
                    g2[k] += g;
                }
                break;
            case IDENTITY:
                for (int k = 0; k < n; k++) {
                    g1[k] += dz[k];
                    g2[k] += dz[k];
                }
                break;
            case CUBE:
                for (int k = 0; k < n; k++) {
                    float h = x1[k] + x2[k];
                    float g = 3.0f * h * h * dz[k];
                    g1[k] += g;
                    g2[k] += g;
                }
                break;
            default:
                for (int k = 0; k < n; k++) {
                    float g = (float) dphi(a, x1[k] + x2[k]) * dz[k];
                    g1[k] += g;
                    g2[k] += g;
                }
        }
    }
}
