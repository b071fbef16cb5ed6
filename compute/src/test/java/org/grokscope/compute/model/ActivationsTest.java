package org.grokscope.compute.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grokscope.compute.rng.SplitMix64;
import org.grokscope.protocol.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fused float row kernels {@link Activations#forwardRow}/{@link Activations#backwardRow}
 * against the double scalars {@link Activations#phi}/{@link Activations#dphi}.
 */
class ActivationsTest {
    private static final int P = 5;
    private static final int N = 13;
    /**
     * The kernels do at most three float roundings per value (h·h·h, or 2·h·dz, or the rounding of
     * a double φ to float), each ≤ 2⁻²⁴ ≈ 6e-8 relative; 4e-7 relative is a few ulps of slack.
     * The reference takes h as the float sum e[r1+k] + e[r2+k] (as stored weights are float, that
     * rounding is part of the definition), then evaluates φ and φ' in double.
     */
    private static final double REL = 4e-7;

    /** The 2p embedding rows of w1t (each of length N), as the CPU engine holds them. */
    private static float[][] embedding(long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        float[][] e = new float[2 * P][N];
        for (float[] row : e) {
            for (int k = 0; k < N; k++) {
                row[k] = (float) (1.5 * rng.nextGaussian());
            }
        }
        // exact kink: h = 0 for the pair (1, 2) in column 0; and a few larger values for the tails
        e[1][0] = 0.5f;
        e[P + 2][0] = -0.5f;
        e[1][1] = 3.0f;
        e[P + 2][1] = 2.5f;
        e[1][2] = -4.0f;
        e[P + 2][2] = -1.25f;
        return e;
    }

    private static void close(double expected, double actual, double scale, String what) {
        double tol = REL * Math.max(Math.abs(expected), scale) + 1e-38;
        assertTrue(Math.abs(expected - actual) <= tol, what + ": expected " + expected + ", got " + actual);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void forwardRowIsPhiOfTheGatheredSum(Activation a) {
        float[][] e = embedding(1 + a.ordinal());
        for (int n = 0; n < P; n++) {
            for (int m = 0; m < P; m++) {
                float[] x1 = e[n];
                float[] x2 = e[P + m];
                float[] z = new float[N + 5];
                java.util.Arrays.fill(z, -99.0f);
                Activations.forwardRow(a, x1, x2, z, N);
                for (int i = N; i < z.length; i++) {
                    assertEquals(-99.0f, z[i], 0.0f, "wrote past the row at " + i);
                }
                for (int k = 0; k < N; k++) {
                    float h = x1[k] + x2[k];
                    close(Activations.phi(a, h), z[k], 0.0, a + " z at (" + n + "," + m + ") k=" + k);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void forwardRowHonoursAShortCount(Activation a) {
        float[][] e = embedding(17);
        float[] z = new float[N];
        java.util.Arrays.fill(z, 42.0f);
        Activations.forwardRow(a, e[2], e[P + 3], z, 4);
        for (int k = 0; k < 4; k++) {
            close(Activations.phi(a, e[2][k] + e[P + 3][k]), z[k], 0.0, a + " k=" + k);
        }
        for (int k = 4; k < N; k++) {
            assertEquals(42.0f, z[k], 0.0f);
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void backwardRowScatterAddsIntoBothRows(Activation a) {
        float[][] e = embedding(100 + a.ordinal());
        SplitMix64 rng = new SplitMix64(5);
        float[] dz = new float[N];
        for (int i = 0; i < dz.length; i++) {
            dz[i] = (float) rng.nextGaussian();
        }
        float[][] gw = new float[2 * P][N];
        for (float[] row : gw) {
            for (int k = 0; k < N; k++) {
                row[k] = (float) rng.nextGaussian();
            }
        }
        int r1 = 1;
        int r2 = P + 2;
        float[][] before = new float[2 * P][];
        for (int j = 0; j < 2 * P; j++) {
            before[j] = gw[j].clone();
        }
        Activations.backwardRow(a, e[r1], e[r2], dz, gw[r1], gw[r2], N);
        for (int j = 0; j < 2 * P; j++) {
            if (j != r1 && j != r2) {
                assertArrayEquals(before[j], gw[j], "touched row " + j);
            }
        }
        double[] g = new double[N];
        for (int k = 0; k < N; k++) {
            float h = e[r1][k] + e[r2][k];
            g[k] = Activations.dphi(a, h) * dz[k];
            // accumulated, not overwritten: old value plus φ'(h)·dz, in both rows
            close(before[r1][k] + g[k], gw[r1][k], Math.abs(before[r1][k]) + Math.abs(g[k]), a + " row n k=" + k);
            close(before[r2][k] + g[k], gw[r2][k], Math.abs(before[r2][k]) + Math.abs(g[k]), a + " row p+m k=" + k);
        }
        // a second sample sharing row n (other m) accumulates on top of the first
        int r3 = P + 4;
        float[] afterFirst1 = gw[r1].clone();
        float[] afterFirst2 = gw[r2].clone();
        float[] afterFirst3 = gw[r3].clone();
        Activations.backwardRow(a, e[r1], e[r3], dz, gw[r1], gw[r3], N);
        for (int k = 0; k < N; k++) {
            float h = e[r1][k] + e[r3][k];
            double g2 = Activations.dphi(a, h) * dz[k];
            close(afterFirst1[k] + g2, gw[r1][k], Math.abs(afterFirst1[k]) + Math.abs(g2),
                    a + " second sample row n k=" + k);
            close(afterFirst3[k] + g2, gw[r3][k], Math.abs(afterFirst3[k]) + Math.abs(g2),
                    a + " second sample row p+m' k=" + k);
        }
        assertArrayEquals(afterFirst2, gw[r2], "row of the first sample's m untouched");
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void backwardRowHonoursAShortCount(Activation a) {
        float[][] e = embedding(23);
        float[] dz = new float[N];
        java.util.Arrays.fill(dz, 1.0f);
        float[] g1 = new float[N];
        float[] g2 = new float[N];
        Activations.backwardRow(a, e[0], e[P], dz, g1, g2, 5);
        for (int k = 5; k < N; k++) {
            assertEquals(0.0f, g1[k], 0.0f);
            assertEquals(0.0f, g2[k], 0.0f);
        }
    }

    @Test
    void reluIsZeroWithZeroSlopeAtTheKink() {
        float[][] e = embedding(3);
        float[] z = new float[N];
        Activations.forwardRow(Activation.RELU, e[1], e[P + 2], z, N);
        assertEquals(0.0f, z[0], 0.0f);
        float[] g1 = new float[N];
        float[] g2 = new float[N];
        float[] dz = new float[N];
        java.util.Arrays.fill(dz, 1.0f);
        Activations.backwardRow(Activation.RELU, e[1], e[P + 2], dz, g1, g2, N);
        assertEquals(0.0f, g1[0], 0.0f);
        assertEquals(0.0f, g2[0], 0.0f);
        assertEquals(0.0, Activations.dphi(Activation.RELU, 0.0), 0.0);
    }

    /** dphi is the derivative of phi: central differences in double (h = 1e-5, error O(h²) ≈ 1e-10). */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void dphiIsTheDerivativeOfPhi(Activation a) {
        double step = 1e-5;
        for (double h = -3.05; h < 3.1; h += 0.1) {
            double fd = (Activations.phi(a, h + step) - Activations.phi(a, h - step)) / (2 * step);
            assertEquals(fd, Activations.dphi(a, h), 1e-8 * Math.max(1.0, Math.abs(fd)), a + " at " + h);
        }
    }

    /** GELU is PyTorch's tanh approximation; spot values computed with torch.nn.functional.gelu's formula. */
    @Test
    void geluMatchesTheTanhApproximation() {
        for (double h : new double[] {-3.0, -1.0, -0.1, 0.0, 0.5, 1.0, 2.0}) {
            double expected = 0.5 * h * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (h + 0.044715 * h * h * h)));
            assertEquals(expected, Activations.phi(Activation.GELU, h), 1e-15);
        }
        // gelu_tanh(1), evaluated independently in Python (PyTorch prints 0.8412 for gelu(1, approximate="tanh"))
        assertEquals(0.8411919906082768, Activations.phi(Activation.GELU, 1.0), 1e-15);
    }
}
