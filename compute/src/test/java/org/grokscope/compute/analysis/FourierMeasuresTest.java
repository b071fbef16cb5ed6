package org.grokscope.compute.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.grokscope.compute.analytic.AnalyticSolutions;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.ReferenceModel;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.rng.SplitMix64;
import org.grokscope.compute.task.Dataset;
import org.grokscope.compute.task.Tasks;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.LossKind;
import org.grokscope.protocol.Parametrization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fourier measures against closed forms: pure cosines, Gaussian noise and the analytic solution. */
class FourierMeasuresTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 7, 97, 100})
    void dftMatchesItsNaiveTwin(int p) {
        SplitMix64 rng = new SplitMix64(p);
        int stride = 3;
        float[] x = new float[p * stride + 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        RealDft dft = new RealDft(p);
        int k = dft.frequencies();
        double[] re = new double[k];
        double[] im = new double[k];
        double[] reN = new double[k];
        double[] imN = new double[k];
        dft.transform(x, 2, stride, re, im);
        RealDft.naive(p, x, 2, stride, reN, imN);
        // both sum p products in double; tables vs direct cos/sin differ by a few ulps per term
        assertArrayEquals(reN, re, 1e-10 * p);
        assertArrayEquals(imN, im, 1e-10 * p);
    }

    @Test
    void pureCosinesHaveIprOneAndTheirPhases() {
        int p = 31;
        int width = 3;
        int nu = 4;
        double[] phi1 = {0.3, -2.0, 1.0};
        double[] phi2 = {1.1, 0.4, -0.7};
        double[] phi3 = {0.2, 2.5, 3.0};
        float[] w1 = new float[width * 2 * p];
        float[] w2 = new float[p * width];
        for (int k = 0; k < width; k++) {
            for (int i = 0; i < p; i++) {
                double a = 2 * Math.PI * nu * i / p;
                w1[k * 2 * p + i] = (float) Math.cos(a + phi1[k]);
                w1[k * 2 * p + p + i] = (float) Math.cos(a + phi2[k]);
                w2[i * width + k] = (float) Math.cos(-a - phi3[k]);
            }
        }
        FourierMeasures m = FourierMeasures.of(p, width, w1, w2, 2, 12);
        // float weights: the other frequencies carry only rounding noise (~1e-7 relative)
        assertEquals(1.0, m.iprU(), 1e-9);
        assertEquals(1.0, m.iprV(), 1e-9);
        assertEquals(1.0, m.iprW(), 1e-9);
        for (int k = 0; k < width; k++) {
            assertEquals(nu, m.dominant()[k]);
            assertEquals(FourierMeasures.wrap(phi1[k] + phi2[k] - phi3[k]), m.residuals()[k], 1e-5);
        }
        assertEquals(1, m.frequenciesUsed());
        assertEquals(width, m.coverage()[nu]);
    }

    @Test
    void gaussianRowsMatchTheNoiseFloor() {
        int p = 97;
        int width = 12000;
        SplitMix64 rng = new SplitMix64(5);
        float[] w1 = new float[width * 2 * p];
        float[] w2 = new float[p * width];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (float) rng.nextGaussian();
        }
        FourierMeasures m = FourierMeasures.of(p, width, w1, w2, 2, 36);
        // |x̃(0)|² = p·χ²₁ and |x̃(ν≥1)|² ~ Exp(mean p) over K = ⌊p/2⌋+1 frequencies, so
        // E[Σa²]/E[(Σa)²] = (3 + 2(K−1)) / (K² + K + 1) ≈ 0.0404 for p = 97 (the paper's ≈ 0.04 at
        // initialisation). The mean of the ratio is 0.1% lower (2·10⁵ rows in numpy), and the mean
        // over 12000 rows has a standard error of 0.13%; so 0.5%. Leaving ν = 0 out would move it
        // up by 1%, and this bound catches that.
        int k = p / 2 + 1;
        double expected = (3.0 + 2.0 * (k - 1)) / ((double) k * k + k + 1);
        assertEquals(expected, m.iprU(), 0.005 * expected);
        assertEquals(expected, m.iprV(), 0.005 * expected);
        assertEquals(expected, m.iprW(), 0.005 * expected);
        // random phases: the mean resultant length of N uniform angles is ~ 1/√N
        assertTrue(m.resultantLength() < 5.0 / Math.sqrt(width), "resultant " + m.resultantLength());
    }

    @Test
    void analyticSolutionIsPhaseAlignedAndCoversEveryFrequency() {
        int p = 23;
        int width = 110;
        ModelShape shape = new ModelShape(p, width, Activation.QUAD, Parametrization.MEAN_FIELD, LossKind.MSE);
        Weights w = AnalyticSolutions.addition(shape, 3);
        FourierMeasures m = FourierMeasures.of(p, width, w.w1(), w.w2(), 2, 36);
        for (double r : m.residuals()) {
            assertEquals(0.0, r, 1e-5, "phase residual of the analytic solution");
        }
        assertEquals(1.0, m.resultantLength(), 1e-9);
        // residuals of ±1e-7 are one bar, the bin centred on 0 (bin 18 of 36), not two beside it
        assertEquals(width, m.histogram()[18], java.util.Arrays.toString(m.histogram()));
        assertEquals(0.0, FourierMeasures.binCentre(18, 36));
        assertEquals(0.0, FourierMeasures.binCentre(2, 5), "an odd count has its middle bin on 0 too");
        assertEquals(width, FourierMeasures.of(p, width, w.w1(), w.w2(), 2, 5).histogram()[2]);
        assertEquals(1.0, m.iprU(), 1e-9);
        assertEquals(1.0, m.iprW(), 1e-9);
        assertEquals((p - 1) / 2, m.frequenciesUsed());
        for (int nu = 1; nu <= (p - 1) / 2; nu++) {
            assertEquals(width / ((p - 1) / 2), m.coverage()[nu], "neurons on frequency " + nu);
        }
    }

    @Test
    void analyticAdditionIsAccurate() {
        int p = 97;
        ModelShape shape = new ModelShape(p, 256, Activation.QUAD, Parametrization.MEAN_FIELD, LossKind.MSE);
        Weights w = AnalyticSolutions.addition(shape, 1);
        Dataset all = Dataset.of(Tasks.parse("add", p));
        double[] lossAcc = ReferenceModel.lossAndAccuracy(shape, ReferenceModel.toDouble(w.w1t()),
                ReferenceModel.toDouble(w.w2()), all, null);
        // Gromov Fig. 4b: the analytic solution is exact up to interference that falls like 1/√N
        assertTrue(lossAcc[1] >= 0.99, "accuracy " + lossAcc[1]);
    }

    @Test
    void fourierImageOfTheAnalyticNetworkLiesOnTheDiagonal() {
        int p = 23;
        ModelShape shape = new ModelShape(p, 220, Activation.QUAD, Parametrization.MEAN_FIELD, LossKind.MSE);
        double[][] mag = FunctionImage.magnitude(FunctionImage.outputs(AnalyticSolutions.addition(shape, 9), 5));
        double diagonal = 0.0;
        double total = 0.0;
        for (int u = 0; u < p; u++) {
            for (int v = 0; v < p; v++) {
                if (u == 0 && v == 0) {
                    continue;
                }
                double e = mag[u][v] * mag[u][v];
                total += e;
                if (u == v) {
                    diagonal += e;
                }
            }
        }
        // measured 0.845 (seed 9, 20 neurons per frequency); the rest is the squares' axis terms
        // (2ν, 0), (0, 2ν) and the anti-diagonal, whose random phases cancel only as √N. A DFT with
        // one axis mirrored puts the peaks on the anti-diagonal and gives about 0.1.
        assertTrue(diagonal / total > 0.8, "diagonal share " + diagonal / total);
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 13})
    void separableImageMatchesTheTwoDimensionalDefinition(int p) {
        Random random = new Random(p);
        double[][] f = new double[p][p];
        for (double[] row : f) {
            for (int b = 0; b < p; b++) {
                row[b] = random.nextGaussian();
            }
        }
        double[][] fast = FunctionImage.magnitude(f);
        double[][] naive = FunctionImage.naiveMagnitude(f);
        double max = 0.0;
        for (double[] row : naive) {
            for (double x : row) {
                max = Math.max(max, x);
            }
        }
        // both sum p² terms in double: 1e-12 of the largest magnitude is ~1000 roundoffs
        for (int u = 0; u < p; u++) {
            assertArrayEquals(naive[u], fast[u], 1e-12 * max, "row " + u);
        }
    }

    /**
     * The table-driven FFS/FCR against its twin on random blocks, odd and even p, both layouts
     * (token index as rows and as columns, with an offset). Both sum in double over p·d terms of
     * order 1, so norms agree to ~1e-12 of the largest; FFS compares exactly (random amplitudes sit
     * nowhere near the η threshold) and FCR to 1e-12.
     */
    @Test
    void sparsityMatchesItsNaiveTwinOnRandomBlocks() {
        Random random = new Random(17);
        for (int p : new int[] {2, 7, 8, 31, 32}) {
            int d = 6;
            int offset = 3;
            float[] rows = new float[offset + p * d];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = (float) random.nextGaussian();
            }
            for (boolean tokenRows : new boolean[] {true, false}) {
                int rowStride = tokenRows ? d : 1;
                int colStride = tokenRows ? 1 : p;
                for (double eta : new double[] {0.1, 0.5}) {
                    FourierSparsity fast = FourierSparsity.of(p, d, rows, offset, rowStride, colStride, eta);
                    FourierSparsity twin = FourierSparsity.naive(p, d, rows, offset, rowStride, colStride, eta);
                    String where = "p=" + p + " tokenRows=" + tokenRows + " eta=" + eta;
                    double max = 0.0;
                    for (int nu = 1; nu < twin.cosNorms().length; nu++) {
                        max = Math.max(max, Math.max(twin.cosNorms()[nu], twin.sinNorms()[nu]));
                    }
                    assertArrayEquals(twin.cosNorms(), fast.cosNorms(), 1e-12 * max, where);
                    assertArrayEquals(twin.sinNorms(), fast.sinNorms(), 1e-12 * max, where);
                    assertEquals(twin.ffs(), fast.ffs(), 0.0, where);
                    assertEquals(twin.fcr(), fast.fcr(), 1e-12, where);
                }
            }
        }
    }

    @Test
    void sparsityAndCosineRatioOfSimpleBlocks() {
        int p = 29;
        int d = 4;
        float[] cos = new float[p * d];
        float[] sin = new float[p * d];
        float[] both = new float[p * d];
        float[] two = new float[p * d];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < d; j++) {
                double a = 2 * Math.PI * 3 * i / p;
                cos[i * d + j] = (float) ((j + 1) * Math.cos(a));
                sin[i * d + j] = (float) ((j + 1) * Math.sin(a));
                both[i * d + j] = (float) (Math.cos(a) + Math.sin(a));
                two[i * d + j] = (float) (Math.cos(a) + 0.05 * Math.cos(2 * Math.PI * 7 * i / p));
            }
        }
        int k = p / 2;
        FourierSparsity c = FourierSparsity.of(p, d, cos, 0, d, 1, 0.1);
        assertEquals(1.0 / k, c.ffs(), 1e-12);
        assertEquals(1.0, c.fcr(), 1e-6);
        assertEquals(0.0, FourierSparsity.of(p, d, sin, 0, d, 1, 0.1).fcr(), 1e-6);
        assertEquals(0.5, FourierSparsity.of(p, d, both, 0, d, 1, 0.1).fcr(), 1e-6);
        assertEquals(1.0 / k, FourierSparsity.of(p, d, two, 0, d, 1, 0.1).ffs(), 1e-12);
        assertEquals(2.0 / k, FourierSparsity.of(p, d, two, 0, d, 1, 0.01).ffs(), 1e-12);
        // c_ν is the norm of the component: column j is (j+1)·cos, of squared norm (j+1)²·p/2
        double columns = 0.0;
        for (int j = 0; j < d; j++) {
            columns += (j + 1) * (j + 1) * p / 2.0;
        }
        assertEquals(Math.sqrt(columns), c.cosNorms()[3], 1e-5 * Math.sqrt(columns));
    }

    /**
     * At the Nyquist frequency the DFT is real, so every phase is 0 or π and every residual 0 or π
     * on the circle: π and −π must land in the one bin centred on ±π (the first, for an even bin
     * count), never in two. p = 2, where
     * every neuron's dominant frequency is the Nyquist one, with random weights.
     */
    @Test
    void residualsAtTheNyquistFrequencyWrapToPlusPi() {
        assertEquals(Math.PI, FourierMeasures.wrap(-Math.PI));
        assertEquals(Math.PI, FourierMeasures.wrap(-Math.PI + 1e-15));
        assertEquals(-Math.PI + 1e-6, FourierMeasures.wrap(-Math.PI + 1e-6), 1e-15);
        int width = 200;
        Random random = new Random(5);
        float[] w1 = new float[width * 4];
        float[] w2 = new float[2 * width];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (float) random.nextGaussian();
        }
        FourierMeasures m = FourierMeasures.of(2, width, w1, w2, 2, 8);
        int atPi = 0;
        for (int k = 0; k < width; k++) {
            double residual = m.residuals()[k];
            assertTrue(residual == 0.0 || residual == Math.PI, "neuron " + k + ": residual " + residual);
            atPi += residual == Math.PI ? 1 : 0;
        }
        assertTrue(atPi > 0 && atPi < width, "random signs give both: " + atPi);
        // 8 bins centred on −π (= π), −3π/4, ..., 0 (bin 4), ..., 3π/4
        assertEquals(atPi, m.histogram()[0]);
        assertEquals(width - atPi, m.histogram()[4]);
    }

    @Test
    void theNyquistFrequencyOfAnEvenPCountsByEnergyAndHasNoSine() {
        // p = 4: a·cos(πi/2) and b·(−1)^i have equal energy when 2a² = 4b²
        int p = 4;
        float a = 1.0f;
        float b = (float) (1.0 / Math.sqrt(2.0));
        float[] w = new float[p];
        float[] nyquist = new float[p];
        for (int i = 0; i < p; i++) {
            w[i] = (float) (a * Math.cos(Math.PI * i / 2) + b * ((i & 1) == 0 ? 1 : -1));
            nyquist[i] = (i & 1) == 0 ? 1 : -1;
        }
        FourierSparsity f = FourierSparsity.of(p, 1, w, 0, 1, 1, 0.75);
        assertEquals(f.cosNorms()[1], f.cosNorms()[2], 1e-6, "equal energy, equal amplitude");
        assertEquals(1.0, f.ffs(), 1e-12, "both frequencies active");
        // only ν = 1 has a sine to compare with, and the block is all cosine there
        assertEquals(1.0, f.fcr(), 1e-6);
        assertEquals(0.0, f.sinNorms()[2], 0.0);
        assertTrue(Double.isNaN(FourierSparsity.of(p, 1, nyquist, 0, 1, 1, 0.1).fcr()),
                "a block on the Nyquist frequency alone has no cosine ratio");
    }
}
