package org.grokscope.compute.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.grokscope.compute.rng.SplitMix64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Blas#sgemm} (OpenBLAS on direct buffers) against {@link Blas#sgemmNaive} (plain loops,
 * double accumulation), and both against a third product written here in double.
 */
class BlasTest {
    /**
     * Float GEMM error bound: |ĉ − c| ≤ γ·(|α|·Σ|a||b| + |β||c₀|) with γ ≈ k·2⁻²⁴ for a sequential
     * dot product of length k ≤ 23 (≈1.4e-6; blocked/FMA kernels do better). Measured against that
     * magnitude, 1e-5 holds for any summation order while a wrong index or transpose is off by O(1).
     */
    private static final double REL = 1e-5;

    @BeforeAll
    static void init() {
        Blas.init();
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        int[][] sizes = {{7, 5, 9}, {13, 3, 23}, {1, 11, 5}, {9, 1, 1}, {17, 19, 3}};
        float[][] alphaBeta = {{1.0f, 0.0f}, {0.75f, 1.0f}, {-1.5f, -0.5f}, {2.0f, 0.25f}};
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int s = 0; s < sizes.length; s++) {
                    float[] ab = alphaBeta[s % alphaBeta.length];
                    all.add(Arguments.of(ta, tb, sizes[s][0], sizes[s][1], sizes[s][2], ab[0], ab[1], 0));
                    // padded leading dimensions: every operand a sub-block of a wider array
                    all.add(Arguments.of(ta, tb, sizes[s][0], sizes[s][1], sizes[s][2], 0.75f, 1.0f, 3));
                }
            }
        }
        return all.stream();
    }

    private static float[] random(SplitMix64 rng, int size) {
        float[] a = new float[size];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }

    private static FloatBuffer direct(float[] a) {
        FloatBuffer b = Blas.allocate(a.length);
        b.put(0, a);
        return b;
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} alpha={5} beta={6} pad={7}")
    @MethodSource("cases")
    void sgemmMatchesTheNaiveTwinAndAPlainDoubleProduct(boolean transA, boolean transB, int m, int n, int k,
                                                        float alpha, float beta, int pad) {
        SplitMix64 rng = new SplitMix64(31L * m + 7L * n + k + (transA ? 1000 : 0) + (transB ? 2000 : 0));
        // stored shapes: A is (m,k) or, transposed, (k,m); B is (k,n) or (n,k); C is (m,n)
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        int lda = aCols + pad;
        int ldb = bCols + pad;
        int ldc = n + pad;
        float[] a = random(rng, aRows * lda);
        float[] b = random(rng, bRows * ldb);
        float[] c0 = random(rng, m * ldc);

        FloatBuffer cb = direct(c0);
        Blas.sgemm(transA, transB, m, n, k, alpha, direct(a), lda, direct(b), ldb, beta, cb, ldc);
        float[] fast = new float[c0.length];
        cb.get(0, fast);
        float[] naive = c0.clone();
        Blas.sgemmNaive(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, naive, ldc);

        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                double mag = 0.0;
                for (int l = 0; l < k; l++) {
                    double av = transA ? a[l * lda + i] : a[i * lda + l];
                    double bv = transB ? b[j * ldb + l] : b[l * ldb + j];
                    sum += av * bv;
                    mag += Math.abs(av * bv);
                }
                double expected = alpha * sum + beta * (double) c0[i * ldc + j];
                double scale = Math.abs(alpha) * mag + Math.abs(beta * (double) c0[i * ldc + j]);
                double tol = REL * scale + 1e-30;
                int idx = i * ldc + j;
                assertEquals(expected, fast[idx], tol, "sgemm C[" + i + "," + j + "]");
                assertEquals(expected, naive[idx], tol, "sgemmNaive C[" + i + "," + j + "]");
                assertEquals(naive[idx], fast[idx], tol, "sgemm vs naive C[" + i + "," + j + "]");
            }
            // the padding columns of C are not part of the product and must stay as they were
            for (int j = n; j < ldc; j++) {
                assertEquals(c0[i * ldc + j], fast[i * ldc + j], 0.0f, "sgemm wrote into C's padding");
                assertEquals(c0[i * ldc + j], naive[i * ldc + j], 0.0f, "sgemmNaive wrote into C's padding");
            }
        }
    }

    /** beta = 0 must overwrite C without reading it (BLAS semantics): NaN garbage in C vanishes. */
    @Test
    void betaZeroIgnoresGarbageInC() {
        int m = 5;
        int n = 3;
        int k = 4;
        SplitMix64 rng = new SplitMix64(9);
        float[] a = random(rng, m * k);
        float[] b = random(rng, k * n);
        float[] c0 = new float[m * n];
        java.util.Arrays.fill(c0, Float.NaN);
        FloatBuffer cb = direct(c0);
        Blas.sgemm(false, false, m, n, k, 1.0f, direct(a), k, direct(b), n, 0.0f, cb, n);
        float[] naive = c0.clone();
        Blas.sgemmNaive(false, false, m, n, k, 1.0f, a, k, b, n, 0.0f, naive, n);
        for (int i = 0; i < m * n; i++) {
            assertFalse(Float.isNaN(cb.get(i)), "sgemm read C with beta 0");
            assertFalse(Float.isNaN(naive[i]), "sgemmNaive read C with beta 0");
            assertEquals(naive[i], cb.get(i), 1e-5 * (1 + Math.abs(naive[i])));
        }
    }

    /** Repeated beta = 1 calls accumulate, as the CPU engine does for dW2 over tiles. */
    @Test
    void betaOneAccumulatesOverCalls() {
        int m = 6;
        int n = 5;
        int k = 7;
        SplitMix64 rng = new SplitMix64(4);
        float[] total = new float[m * n];
        FloatBuffer cb = Blas.allocate(m * n);
        float[] naive = new float[m * n];
        double[] expected = new double[m * n];
        for (int call = 0; call < 4; call++) {
            float[] a = random(rng, k * m);
            float[] b = random(rng, k * n);
            Blas.sgemm(true, false, m, n, k, 0.5f, direct(a), m, direct(b), n, call == 0 ? 0.0f : 1.0f, cb, n);
            Blas.sgemmNaive(true, false, m, n, k, 0.5f, a, m, b, n, call == 0 ? 0.0f : 1.0f, naive, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    for (int l = 0; l < k; l++) {
                        expected[i * n + j] += 0.5 * a[l * m + i] * b[l * n + j];
                    }
                }
            }
        }
        cb.get(0, total);
        for (int i = 0; i < m * n; i++) {
            // 4 calls × k = 28 products of unit-variance terms: sums of order 3; 1e-5 absolute is ~30 ulps
            assertEquals(expected[i], total[i], 1e-5 * (1 + Math.abs(expected[i])), "sgemm at " + i);
            assertEquals(expected[i], naive[i], 1e-5 * (1 + Math.abs(expected[i])), "sgemmNaive at " + i);
        }
        assertTrue(Blas.describe().contains("OpenBLAS"), Blas.describe());
    }

    @Test
    void referenceGemmLeavesOpenBlasOnOneThread() {
        double gflops = Blas.referenceGflops(8, 16, 4, 2, 3);
        assertTrue(gflops > 0 && Double.isFinite(gflops), "GFLOP/s " + gflops);
        // the lanes assume single-threaded calls: a leftover thread count would oversubscribe the cores
        assertTrue(Blas.describe().endsWith("per-call threads 1)"), Blas.describe());
    }
}
