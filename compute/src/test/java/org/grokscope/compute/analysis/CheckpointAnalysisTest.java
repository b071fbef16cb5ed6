package org.grokscope.compute.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The table columns a replay writes before any checkpoint are the scalar results analyze() gives, in order. */
class CheckpointAnalysisTest {
    @Test
    void scalarNamesAreTheScalarResultsInOrder() {
        int p = 7;
        int width = 5;
        Random random = new Random(3);
        float[] w1 = gaussian(random, width * 2 * p);
        float[] w2 = gaussian(random, p * width);
        List<List<String>> choices = List.of(CheckpointAnalysis.ANALYZERS, List.of("ffs", "ipr"), List.of("phases"),
                List.of("coverage"));
        for (List<String> chosen : choices) {
            CheckpointAnalysis analysis = new CheckpointAnalysis(chosen, ConfigFactory.load());
            List<String> scalars = new ArrayList<>();
            for (Map.Entry<String, Object> e : analysis.analyze(p, width, w1, w2).entrySet()) {
                if (e.getValue() instanceof Number) {
                    scalars.add(e.getKey());
                }
            }
            assertEquals(scalars, analysis.scalarNames(), chosen.toString());
        }
    }

    /**
     * The ffs analyzer's four numbers on random weights equal the twin's on blocks laid out here
     * by hand: W1 as the dense p × 2N matrix whose column 2k is u_k and 2k + 1 is v_k (column
     * order does not change FFS or FCR), W2 as stored, (p, N). Tolerance as in the twin test.
     */
    @Test
    void sparsityOfBothWeightBlocksMatchesTheTwin() {
        int p = 13;
        int width = 9;
        Random random = new Random(11);
        float[] w1 = gaussian(random, width * 2 * p);
        float[] w2 = gaussian(random, p * width);
        float[] embedding = new float[p * 2 * width];
        for (int k = 0; k < width; k++) {
            for (int i = 0; i < p; i++) {
                embedding[i * 2 * width + 2 * k] = w1[k * 2 * p + i];
                embedding[i * 2 * width + 2 * k + 1] = w1[k * 2 * p + p + i];
            }
        }
        double eta = ConfigFactory.load().getDouble("grokscope.analyzers.ffs.eta");
        FourierSparsity u = FourierSparsity.naive(p, 2 * width, embedding, 0, 2 * width, 1, eta);
        FourierSparsity w = FourierSparsity.naive(p, width, w2, 0, width, 1, eta);
        Map<String, Object> row = new CheckpointAnalysis(List.of("ffs"), ConfigFactory.load()).analyze(p, width, w1, w2);
        assertEquals(u.ffs(), (Double) row.get("ffs_w1"), 0.0);
        assertEquals(u.fcr(), (Double) row.get("fcr_w1"), 1e-12);
        assertEquals(w.ffs(), (Double) row.get("ffs_w2"), 0.0);
        assertEquals(w.fcr(), (Double) row.get("fcr_w2"), 1e-12);
    }

    /**
     * ffs_w1 covers both operands: u of every neuron a cosine at ν = 3, v a cosine at ν = 5, so
     * two of the 8 frequencies of p = 17 are active (u alone would give one); all cosines: FCR 1.
     */
    @Test
    void embeddingSparsityCoversBothOperands() {
        int p = 17;
        int width = 4;
        float[] w1 = new float[width * 2 * p];
        float[] w2 = new float[p * width];
        for (int k = 0; k < width; k++) {
            for (int i = 0; i < p; i++) {
                w1[k * 2 * p + i] = (float) Math.cos(2 * Math.PI * 3 * i / p);
                w1[k * 2 * p + p + i] = (float) Math.cos(2 * Math.PI * 5 * i / p);
                w2[i * width + k] = (float) Math.cos(2 * Math.PI * 3 * i / p);
            }
        }
        Map<String, Object> row = new CheckpointAnalysis(List.of("ffs"), ConfigFactory.load()).analyze(p, width, w1, w2);
        assertEquals(2.0 / 8, (Double) row.get("ffs_w1"), 1e-12);
        assertEquals(1.0, (Double) row.get("fcr_w1"), 1e-6);
        assertEquals(1.0 / 8, (Double) row.get("ffs_w2"), 1e-12);
    }

    /** n weights drawn N(0, 1), as the model's init draws them. */
    private static float[] gaussian(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
