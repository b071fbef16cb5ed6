package org.grokscope.compute.backend;

/** Frobenius norms, accumulated in double in index order so they are reproducible. */
public final class Norms {
    private Norms() {
    }

    public static double frobenius(float[] a) {
        return Math.sqrt(sumOfSquares(a));
    }

    /** The norm of a matrix held as rows, summed row by row in order. */
    public static double frobenius(float[][] rows) {
        double sum = 0.0;
        for (float[] row : rows) {
            sum += sumOfSquares(row);
        }
        return Math.sqrt(sum);
    }

    private static double sumOfSquares(float[] a) {
        // four partial sums break the add-latency chain; the order is still fixed
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int i = 0;
        for (; i + 3 < a.length; i += 4) {
            s0 += (double) a[i] * a[i];
            s1 += (double) a[i + 1] * a[i + 1];
            s2 += (double) a[i + 2] * a[i + 2];
            s3 += (double) a[i + 3] * a[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += (double) a[i] * a[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
