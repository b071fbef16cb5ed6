package org.grokscope.compute.analysis;

/**
 * The discrete Fourier transform of a real sequence of length p at frequencies ν = 0..⌊p/2⌋,
 * x̃(ν) = Σ_i x_i·e^{−2πiνi/p}. p is small (a modulus), so an exact O(p²) transform with
 * cos/sin tables indexed by νi mod p beats an FFT library here; {@link #naive} is its twin.
 */
public final class RealDft {
    private final int p;
    private final double[] cos;
    private final double[] sin;

    public RealDft(int p) {
        this.p = p;
        this.cos = new double[p];
        this.sin = new double[p];
        for (int j = 0; j < p; j++) {
            cos[j] = Math.cos(2.0 * Math.PI * j / p);
            sin[j] = Math.sin(2.0 * Math.PI * j / p);
        }
        if (p % 2 == 0) {
            // Math.sin(π) is 1.2e-16, not 0: the Nyquist frequency would get a rounding-sized
            // imaginary part of either sign, and its phase, which is 0 or π, would come out as ±π by chance
            sin[p / 2] = 0.0;
        }
    }

    public int p() {
        return p;
    }

    /** Number of frequencies ⌊p/2⌋ + 1. */
    public int frequencies() {
        return p / 2 + 1;
    }

    /** re/im (length ⌊p/2⌋+1) of x[offset + i·stride], i < p. */
    public void transform(float[] x, int offset, int stride, double[] re, double[] im) {
        for (int nu = 0; nu < frequencies(); nu++) {
            double r = 0.0;
            double s = 0.0;
            int j = 0;
            for (int i = 0; i < p; i++) {
                double xi = x[offset + i * stride];
                r += xi * cos[j];
                s -= xi * sin[j];
                j += nu;
                if (j >= p) {
                    j -= p;
                }
            }
            re[nu] = r;
            im[nu] = s;
        }
    }

    /** The naive twin: the definition with Math.cos and Math.sin at every term. */
    public static void naive(int p, float[] x, int offset, int stride, double[] re, double[] im) {
        for (int nu = 0; nu <= p / 2; nu++) {
            double r = 0.0;
            double s = 0.0;
            for (int i = 0; i < p; i++) {
                double angle = 2.0 * Math.PI * nu * i / p;
                r += x[offset + i * stride] * Math.cos(angle);
                s -= x[offset + i * stride] * Math.sin(angle);
            }
            re[nu] = r;
            im[nu] = s;
        }
    }
}
