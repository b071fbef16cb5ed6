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
            case RELU: return h > 0 ? h : 0.0;
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
     * Gather and activate one sample: z[zo+k] = φ(e[r1+k] + e[r2+k]) for k < n.
     * e is w1t (2p, N), r1 = n·N and r2 = (p+m)·N are the two embedding rows, z is a (·, N) row.
     */
    public static void forwardRow(Activation a, float[] e, int r1, int r2, float[] z, int zo, int n) {
        switch (a) {
            case QUAD:
                for (int k = 0; k < n; k++) {
                    float h = e[r1 + k] + e[r2 + k];
                    z[zo + k] = h * h;
                }
                break;
            case RELU:
                for (int k = 0; k < n; k++) {
                    float h = e[r1 + k] + e[r2 + k];
                    z[zo + k] = Math.max(h, 0.0f);
                }
                break;
            case IDENTITY:
                for (int k = 0; k < n; k++) {
                    z[zo + k] = e[r1 + k] + e[r2 + k];
                }
                break;
            case CUBE:
                for (int k = 0; k < n; k++) {
                    float h = e[r1 + k] + e[r2 + k];
                    z[zo + k] = h * h * h;
                }
                break;
            default:
                for (int k = 0; k < n; k++) {
                    z[zo + k] = (float) phi(a, e[r1 + k] + e[r2 + k]);
                }
        }
    }

    /**
     * Backward of one sample into the W1 gradient: g = φ'(h)·dz with h recomputed from the
     * embedding rows (cheaper than storing H), scatter-added into rows r1 and r2 of gw (2p, N).
     */
    public static void backwardRow(Activation a, float[] e, int r1, int r2, float[] dz, int dzo,
                                   float[] gw, int n) {
        switch (a) {
            case QUAD:
                for (int k = 0; k < n; k++) {
                    float g = 2.0f * (e[r1 + k] + e[r2 + k]) * dz[dzo + k];
                    gw[r1 + k] += g;
                    gw[r2 + k] += g;
                }
                break;
            case RELU:
                for (int k = 0; k < n; k++) {
                    float g = (e[r1 + k] + e[r2 + k]) > 0.0f ? dz[dzo + k] : 0.0f;
                    gw[r1 + k] += g;
                    gw[r2 + k] += g;
                }
                break;
            case CUBE:
                for (int k = 0; k < n; k++) {
                    float h = e[r1 + k] + e[r2 + k];
                    float g = 3.0f * h * h * dz[dzo + k];
                    gw[r1 + k] += g;
                    gw[r2 + k] += g;
                }
                break;
            default:
                for (int k = 0; k < n; k++) {
                    float g = (float) dphi(a, e[r1 + k] + e[r2 + k]) * dz[dzo + k];
                    gw[r1 + k] += g;
                    gw[r2 + k] += g;
                }
        }
    }
}
