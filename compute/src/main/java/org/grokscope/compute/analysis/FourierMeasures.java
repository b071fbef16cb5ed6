package org.grokscope.compute.analysis;

/**
 * Fourier progress measures of one checkpoint (SCIENCE.md §5). For neuron k: u_k = W1[k, 0..p−1],
 * v_k = W1[k, p..2p−1] and w_k = W2[:, k]; their DFTs over the token index give IPR (how
 * concentrated each neuron is on one frequency), the dominant frequency ν_k, the phases φ1, φ2, φ3
 * at ν_k and the alignment residual φ1 + φ2 − φ3, which a grokked addition network puts at 0.
 * Weights in the paper's layout: W1 is N×2p, W2 is p×N, row-major.
 *
 * @param iprU           mean IPR_r over neurons of u
 * @param iprV           mean IPR_r of v
 * @param iprW           mean IPR_r of w
 * @param dominant       ν_k per neuron (argmax over ν ≥ 1 of |ũ_k(ν)|)
 * @param residuals      φ1 + φ2 − φ3 per neuron, wrapped to (−π, π]
 * @param histogram      counts of the residuals in equal bins around the circle, one centred on 0
 * @param resultantLength |mean of e^{i·residual}|: 1 when all residuals agree, ≈ 0 when uniform
 * @param coverage       neurons per dominant frequency, index ν
 * @param frequenciesUsed distinct dominant frequencies
 */
public record FourierMeasures(double iprU, double iprV, double iprW, int[] dominant, double[] residuals,
                              int[] histogram, double resultantLength, int[] coverage, int frequenciesUsed) {

    /** @param r the IPR exponent (2 in the paper); bins the histogram's bin count */
    public static FourierMeasures of(int p, int width, float[] w1, float[] w2, int r, int bins) {
        RealDft dft = new RealDft(p);
        int k2 = dft.frequencies();
        double[] reU = new double[k2];
        double[] imU = new double[k2];
        double[] reV = new double[k2];
        double[] imV = new double[k2];
        double[] reW = new double[k2];
        double[] imW = new double[k2];
        double sumU = 0.0;
        double sumV = 0.0;
        double sumW = 0.0;
        int[] dominant = new int[width];
        double[] residuals = new double[width];
        int[] coverage = new int[k2];
        double cosSum = 0.0;
        double sinSum = 0.0;
        for (int k = 0; k < width; k++) {
            dft.transform(w1, k * 2 * p, 1, reU, imU);
            dft.transform(w1, k * 2 * p + p, 1, reV, imV);
            dft.transform(w2, k, width, reW, imW);
            sumU += ipr(reU, imU, r);
            sumV += ipr(reV, imV, r);
            sumW += ipr(reW, imW, r);
            int nu = 1;
            for (int f = 2; f < k2; f++) {
                if (power(reU, imU, f) > power(reU, imU, nu)) {
                    nu = f;
                }
            }
            dominant[k] = nu;
            coverage[nu]++;
            double residual = wrap(Math.atan2(imU[nu], reU[nu]) + Math.atan2(imV[nu], reV[nu])
                    - Math.atan2(imW[nu], reW[nu]));
            residuals[k] = residual;
            cosSum += Math.cos(residual);
            sinSum += Math.sin(residual);
        }
        int used = 0;
        for (int c : coverage) {
            used += c > 0 ? 1 : 0;
        }
        return new FourierMeasures(sumU / width, sumV / width, sumW / width, dominant, residuals,
                histogram(residuals, bins), Math.hypot(cosSum, sinSum) / width, coverage, used);
    }

    /** IPR_r = Σ_ν (|x̃(ν)|² / Σ|x̃|²)^r of one spectrum. */
    public static double ipr(double[] re, double[] im, int r) {
        double total = 0.0;
        for (int f = 0; f < re.length; f++) {
            total += power(re, im, f);
        }
        if (total == 0.0) {
            return 0.0;
        }
        double sum = 0.0;
        for (int f = 0; f < re.length; f++) {
            sum += Math.pow(power(re, im, f) / total, r);
        }
        return sum;
    }

    private static double power(double[] re, double[] im, int f) {
        return re[f] * re[f] + im[f] * im[f];
    }

    /**
     * Angles this close above −π count as π: a residual is a sum of three phases, and when they
     * lie near ±π their rounding can put it an ulp above −π, so the same point of the circle would
     * land in the histogram's first bin or its last by chance. (At the Nyquist frequency the
     * phases are exactly 0 or π: see RealDft.)
     */
    static final double BOUNDARY = 1e-12;

    /** An angle mapped to (−π, π]. */
    public static double wrap(double angle) {
        double a = Math.IEEEremainder(angle, 2.0 * Math.PI);
        return a <= -Math.PI + BOUNDARY ? Math.min(Math.PI, a + 2.0 * Math.PI) : a;
    }

    /**
     * Counts in {@code bins} equal bins around the circle, bin b centred on {@link #binCentre}: one
     * bin is centred on 0, so a perfectly aligned network is one bar (with 0 on a bin edge, float
     * noise split it into two). With an even count the first bin is centred on ±π and takes both
     * ends of (−π, π].
     */
    static int[] histogram(double[] angles, int bins) {
        int[] h = new int[bins];
        double width = 2.0 * Math.PI / bins;
        for (double a : angles) {
            h[Math.floorMod((int) Math.floor(a / width + 0.5) + bins / 2, bins)]++;
        }
        return h;
    }

    /** The centre of histogram bin {@code b} of {@code bins}: (b − ⌊bins/2⌋)·2π/bins. */
    public static double binCentre(int b, int bins) {
        return (b - bins / 2) * 2.0 * Math.PI / bins;
    }
}
