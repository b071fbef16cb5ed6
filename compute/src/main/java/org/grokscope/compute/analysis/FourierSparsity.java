package org.grokscope.compute.analysis;

/**
 * FFS and FCR of a weight block (Furuta et al. 2024, our definitions in SCIENCE.md §5). The block
 * W is p×d with the token index first; c_ν and s_ν are the norms (over d) of its components along
 * cos(2πνi/p) and sin(2πνi/p), i.e. its projections on those vectors normalised, so that two
 * components of equal energy count the same at every frequency (for even p the cosine at the
 * Nyquist frequency p/2 has twice the squared norm of the others). FFS_η is the fraction of
 * frequencies ν ≥ 1 whose amplitude √(c²+s²) is at least η times the largest; FCR the mean of
 * c/(c+s) over those active frequencies that have a sine (all but the Nyquist frequency of an
 * even p, where sin(πi) = 0 and c/(c+s) would be 1 whatever the weights).
 */
public record FourierSparsity(double ffs, double fcr, double[] cosNorms, double[] sinNorms) {

    /** @param w block element (i, j) at w[offset + i·rowStride + j·colStride], i < p, j < d */
    public static FourierSparsity of(int p, int d, float[] w, int offset, int rowStride, int colStride, double eta) {
        int k2 = p / 2 + 1;
        double[] cosTable = new double[p];
        double[] sinTable = new double[p];
        for (int i = 0; i < p; i++) {
            cosTable[i] = Math.cos(2.0 * Math.PI * i / p);
            sinTable[i] = Math.sin(2.0 * Math.PI * i / p);
        }
        double[] c = new double[k2];
        double[] s = new double[k2];
        for (int nu = 1; nu < k2; nu++) {
            double cc = 0.0;
            double ss = 0.0;
            for (int j = 0; j < d; j++) {
                double pc = 0.0;
                double ps = 0.0;
                int phase = 0;
                for (int i = 0; i < p; i++) {
                    double x = w[offset + i * rowStride + j * colStride];
                    pc += x * cosTable[phase];
                    ps += x * sinTable[phase];
                    phase += nu;
                    if (phase >= p) {
                        phase -= p;
                    }
                }
                cc += pc * pc;
                ss += ps * ps;
            }
            // ‖cos_ν‖² = ‖sin_ν‖² = p/2 for 0 < ν < p/2; at the Nyquist frequency ‖cos‖² = p, sin = 0
            boolean nyquist = 2 * nu == p;
            c[nu] = Math.sqrt(cc / (nyquist ? p : p / 2.0));
            s[nu] = nyquist ? 0.0 : Math.sqrt(ss / (p / 2.0));
        }
        double max = 0.0;
        for (int nu = 1; nu < k2; nu++) {
            max = Math.max(max, Math.hypot(c[nu], s[nu]));
        }
        int active = 0;
        int withSine = 0;
        double ratio = 0.0;
        for (int nu = 1; nu < k2; nu++) {
            if (max > 0 && Math.hypot(c[nu], s[nu]) >= eta * max) {
                active++;
                if (2 * nu != p) {
                    withSine++;
                    ratio += c[nu] / (c[nu] + s[nu]);
                }
            }
        }
        int count = k2 - 1;
        return new FourierSparsity(count == 0 ? 0.0 : (double) active / count,
                withSine == 0 ? Double.NaN : ratio / withSine, c, s);
    }

    /**
     * The twin of {@link #of}: each basis vector built with {@code Math.cos}/{@code Math.sin} per
     * entry and normalised by its own computed norm (no phase table, no closed-form p/2), a sine
     * whose computed norm vanishes (the Nyquist frequency of an even p) counted as absent.
     */
    public static FourierSparsity naive(int p, int d, float[] w, int offset, int rowStride, int colStride, double eta) {
        int k2 = p / 2 + 1;
        double[] c = new double[k2];
        double[] s = new double[k2];
        boolean[] hasSine = new boolean[k2];
        for (int nu = 1; nu < k2; nu++) {
            double[] cosV = new double[p];
            double[] sinV = new double[p];
            for (int i = 0; i < p; i++) {
                cosV[i] = Math.cos(2.0 * Math.PI * nu * i / p);
                sinV[i] = Math.sin(2.0 * Math.PI * nu * i / p);
            }
            double cosNorm = norm(cosV);
            double sinNorm = norm(sinV);
            // sin(πi) evaluates to ~1e-16·i, not 0: a norm that small is no basis vector
            hasSine[nu] = sinNorm > 1e-6;
            double cc = 0.0;
            double ss = 0.0;
            for (int j = 0; j < d; j++) {
                double pc = 0.0;
                double ps = 0.0;
                for (int i = 0; i < p; i++) {
                    double x = w[offset + i * rowStride + j * colStride];
                    pc += x * cosV[i] / cosNorm;
                    if (hasSine[nu]) {
                        ps += x * sinV[i] / sinNorm;
                    }
                }
                cc += pc * pc;
                ss += ps * ps;
            }
            c[nu] = Math.sqrt(cc);
            s[nu] = Math.sqrt(ss);
        }
        double max = 0.0;
        for (int nu = 1; nu < k2; nu++) {
            max = Math.max(max, Math.sqrt(c[nu] * c[nu] + s[nu] * s[nu]));
        }
        int active = 0;
        int withSine = 0;
        double ratio = 0.0;
        for (int nu = 1; nu < k2; nu++) {
            if (max > 0 && Math.sqrt(c[nu] * c[nu] + s[nu] * s[nu]) >= eta * max) {
                active++;
                if (hasSine[nu]) {
                    withSine++;
                    ratio += c[nu] / (c[nu] + s[nu]);
                }
            }
        }
        return new FourierSparsity(k2 == 1 ? 0.0 : (double) active / (k2 - 1),
                withSine == 0 ? Double.NaN : ratio / withSine, c, s);
    }

    private static double norm(double[] v) {
        double sum = 0.0;
        for (double x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
