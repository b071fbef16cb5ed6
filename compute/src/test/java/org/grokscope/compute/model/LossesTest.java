package org.grokscope.compute.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.grokscope.protocol.LossKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Losses#mseTile} against its twin, {@link Losses#rowLoss} applied row by row (residuals),
 * and against Σ (out − onehot)² in double (loss); {@link Losses#rowLoss}'s value on rows near their
 * target against the same double sum; {@link Losses#isArgmax} against {@link Losses#argmax}.
 */
class LossesTest {

    @ParameterizedTest
    @CsvSource({"1, 2", "7, 5", "256, 97", "33, 113"})
    void mseTileMatchesRowLossRowByRow(int rows, int classes) {
        Random random = new Random(rows * 31L + classes);
        float[] logits = new float[rows * classes];
        int[] labels = new int[rows];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < rows; i++) {
            labels[i] = random.nextInt(classes);
            // some rows near their target, as after fitting, where the loss is a small difference
            if (i % 3 == 0) {
                for (int j = 0; j < classes; j++) {
                    logits[i * classes + j] = (j == labels[i] ? 1.0f : 0.0f) + 1e-3f * (float) random.nextGaussian();
                }
            }
        }
        int batch = 4 * rows + 1;
        float[] twinResidual = new float[logits.length];
        double exact = 0.0;
        for (int i = 0; i < rows; i++) {
            Losses.rowLoss(LossKind.MSE, logits, i * classes, labels[i], classes, batch, twinResidual, i * classes);
            for (int j = 0; j < classes; j++) {
                double d = (double) logits[i * classes + j] - (j == labels[i] ? 1.0 : 0.0);
                exact += d * d;
            }
        }
        float[] out = logits.clone();
        double loss = Losses.mseTile(out, rows, labels, classes, batch, new float[classes + 3]);
        // residuals are the same float expression, coef·(out − onehot): equal bit for bit
        assertArrayEquals(twinResidual, out, 0.0f);
        // float squares summed per class over at most 256 rows: relative 1e-5
        assertEquals(exact, loss, 1e-5 * exact);
    }

    @ParameterizedTest
    @CsvSource({"1e-2", "1e-3", "1e-4", "3e-5"})
    void rowLossOfAFittedRowMatchesTheDoubleSum(float eps) {
        // a row at distance ε from its target, as on the test set of a fitted run: its MSE is
        // ≈ classes·ε², far below float's resolution at 1, so it must not come out of a 1 − 1
        Random random = new Random(Float.floatToIntBits(eps));
        int classes = 97;
        for (int trial = 0; trial < 50; trial++) {
            int label = random.nextInt(classes);
            float[] row = new float[classes];
            double exact = 0.0;
            for (int j = 0; j < classes; j++) {
                row[j] = (j == label ? 1.0f : 0.0f) + eps * (float) random.nextGaussian();
                double d = (double) row[j] - (j == label ? 1.0 : 0.0);
                exact += d * d;
            }
            double mse = Losses.rowLoss(LossKind.MSE, row, 0, label, classes, 1, null, 0);
            // float squares and a float sum of 97 terms: relative 1e-5
            assertEquals(exact, mse, 1e-5 * exact, "MSE, label " + label);
            // the same with the residual written over the logits (r aliasing out, as the engine may)
            float[] aliased = row.clone();
            assertEquals(mse, Losses.rowLoss(LossKind.MSE, aliased, 0, label, classes, 1, aliased, 0), 0.0,
                    "MSE with r = out, label " + label);

            double max = Double.NEGATIVE_INFINITY;
            for (float v : row) {
                max = Math.max(max, v);
            }
            double z = 0.0;
            for (float v : row) {
                z += Math.exp(v - max);
            }
            double ce = Math.log(z) - (row[label] - max);
            // the code takes logit − max in float: relative 1e-6
            assertEquals(ce, Losses.rowLoss(LossKind.CSE, row, 0, label, classes, 1, null, 0), 1e-6 * Math.max(1.0, ce),
                    "CE, label " + label);
        }
    }

    @Test
    void isArgmaxAgreesWithArgmaxForEveryLabelIncludingTiesAndNaN() {
        Random random = new Random(7);
        int classes = 11;
        float[] row = new float[classes];
        for (int trial = 0; trial < 2000; trial++) {
            for (int j = 0; j < classes; j++) {
                // few distinct values, so ties (where the first maximum wins) are common; NaN as
                // in a diverged epoch, which must not count as correct where argmax says not
                int k = random.nextInt(6);
                row[j] = k == 5 ? Float.NaN : k == 4 && trial % 2 == 0 ? Float.POSITIVE_INFINITY : k;
            }
            int argmax = Losses.argmax(row, 0, classes);
            for (int label = 0; label < classes; label++) {
                assertEquals(label == argmax, Losses.isArgmax(row, 0, classes, label),
                        "row " + java.util.Arrays.toString(row) + " label " + label);
            }
        }
        // the first of two equal maxima, and a row offset
        float[] tie = {9f, 3f, 2f, 3f, 1f};   // the row is tie[1..4]: 3, 2, 3, 1
        assertTrue(Losses.isArgmax(tie, 1, 4, 0));
        assertFalse(Losses.isArgmax(tie, 1, 4, 2));
    }
}
