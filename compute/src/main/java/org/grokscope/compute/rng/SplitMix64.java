package org.grokscope.compute.rng;

/**
 * The seeded random source of every run: splits, initial weights and minibatch order come from it.
 * Written out here (SplitMix64 plus Box–Muller) rather than taken from java.util.Random so the
 * stream can never change with the JDK: the same seed gives the same run on every machine.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final double TWO_PI = 2.0 * Math.PI;
    private static final double INV_2_53 = 1.0 / (1L << 53);

    private long state;
    private double spareGaussian;
    private boolean hasSpare;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * INV_2_53;
    }

    /** Uniform in [0, bound) without modulo bias (rejection sampling). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        // 2^64 mod bound: rejecting the lowest values leaves a multiple of bound to draw from
        long threshold = Long.remainderUnsigned(-(long) bound, bound);
        while (true) {
            long r = nextLong();
            if (Long.compareUnsigned(r, threshold) >= 0) {
                return (int) Long.remainderUnsigned(r, bound);
            }
        }
    }

    /** Standard normal by the Box–Muller transform, computed in double. */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 == 0.0);
        double u2 = nextDouble();
        double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        spareGaussian = radius * StrictMath.sin(TWO_PI * u2);
        hasSpare = true;
        return radius * StrictMath.cos(TWO_PI * u2);
    }

    /** Fisher–Yates shuffle of the whole array in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
