package org.grokscope.compute.backend;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The one door to OpenBLAS (the JavaCPP preset ships the native library inside its jar). Operands
 * are direct buffers: JavaCPP copies a float[] argument in and out on every call, which costs more
 * than the multiply at our sizes. OpenBLAS runs single-threaded; the CPU backend parallelises over
 * lanes itself, which keeps the summation order independent of the thread count.
 */
public final class Blas {
    private static volatile boolean initialised;

    private Blas() {
    }

    /** Loads the native library once and pins OpenBLAS to one thread per call. */
    public static synchronized void init() {
        if (!initialised) {
            openblas_nolapack.blas_set_num_threads(1);
            initialised = true;
        }
    }

    /** Library and version, e.g. "OpenBLAS 0.3.31 (org.bytedeco:openblas, dynamic arch)". */
    public static String describe() {
        init();
        return openblas_nolapack.OPENBLAS_VERSION.strip() + " (org.bytedeco:openblas preset, per-call threads "
                + openblas_nolapack.blas_get_num_threads() + ")";
    }

    public static FloatBuffer allocate(int floats) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(floats, Float.BYTES))
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * C = alpha·op(A)·op(B) + beta·C, row-major; op(A) is (m, k), op(B) is (k, n), C is (m, n).
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             FloatBuffer a, int lda, FloatBuffer b, int ldb, float beta, FloatBuffer c, int ldc) {
        openblas_nolapack.cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
                transB ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /**
     * GFLOP/s of {@code calls} timed sgemm calls C (m,n) = A (m,k)·B (k,n) on {@code threads}
     * OpenBLAS threads, after one untimed call; for benchmarks only. OpenBLAS's thread count is
     * process-wide: it is set back to one before this returns, so do not run it beside training.
     */
    public static synchronized double referenceGflops(int m, int n, int k, int threads, int calls) {
        init();
        FloatBuffer a = allocate(m * k);
        FloatBuffer b = allocate(k * n);
        FloatBuffer c = allocate(m * n);
        for (int i = 0; i < m * k; i++) {
            a.put(i, (float) Math.sin(i));
        }
        for (int i = 0; i < k * n; i++) {
            b.put(i, (float) Math.cos(i));
        }
        openblas_nolapack.blas_set_num_threads(threads);
        try {
            sgemm(false, false, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                sgemm(false, false, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
            }
            return 2.0 * m * n * k * calls / (System.nanoTime() - t0);
        } finally {
            openblas_nolapack.blas_set_num_threads(1);
        }
    }

    /** The naive twin of {@link #sgemm} on heap arrays, accumulating in double. */
    public static void sgemmNaive(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                  float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int l = 0; l < k; l++) {
                    float av = transA ? a[l * lda + i] : a[i * lda + l];
                    float bv = transB ? b[j * ldb + l] : b[l * ldb + j];
                    sum += (double) av * bv;
                }
                float prev = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
                c[i * ldc + j] = (float) (alpha * sum + prev);
            }
        }
    }
}
