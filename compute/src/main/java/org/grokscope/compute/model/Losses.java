package org.grokscope.compute.model;

import java.util.Arrays;
import org.grokscope.protocol.LossKind;

/**
 * Loss, residual and accuracy of one row of logits against its label. MSE is the mean over
 * samples and classes of (out − onehot)²; cross-entropy the mean over samples of −log softmax.
 * The residual written back is dL/dout for a batch of {@code batch} samples.
 */
public final class Losses {
    private Losses() {
    }

    /** Index of the largest logit; the first one on ties. */
    public static int argmax(float[] out, int o, int classes) {
        int best = 0;
        float bestValue = out[o];
        for (int j = 1; j < classes; j++) {
            if (out[o + j] > bestValue) {
                bestValue = out[o + j];
                best = j;
            }
        }
        return best;
    }

    /**
     * Whether {@link #argmax} of the row is {@code label}: no earlier logit reaches it and no later
     * one exceeds it. Stops at the first logit that does, so a row far from its label costs a few
     * compares, and a fitted row a scan whose branches are always predicted. NaN logits follow
     * argmax: a NaN first logit is the argmax, a later one never is, so a diverged row is not
     * counted correct for any other label.
     */
    public static boolean isArgmax(float[] out, int o, int classes, int label) {
        if (Float.isNaN(out[o])) {
            return label == 0;
        }
        float v = out[o + label];
        if (Float.isNaN(v)) {
            return false;
        }
        for (int j = 0; j < label; j++) {
            if (out[o + j] >= v) {
                return false;
            }
        }
        for (int j = label + 1; j < classes; j++) {
            if (out[o + j] > v) {
                return false;
            }
        }
        return true;
    }

    /**
     * MSE over a tile of rows at once: the unnormalised loss (the sum of {@link #rowLoss} over the
     * rows), with out (rows, classes) overwritten by dL/dout for a batch of {@code batch} samples,
     * as {@link #rowLoss} writes it. The squares are summed per class across rows (classSums holds
     * at least {@code classes} floats), so the inner loop has no reduction and vectorises.
     */
    public static double mseTile(float[] out, int rows, int[] labels, int classes, int batch, float[] classSums) {
        // out is (rows, classes); labels is (rows)
        float coef = 2.0f / ((float) batch * classes);
        for (int i = 0; i < rows; i++) {
            out[i * classes + labels[i]] -= 1.0f;
        }
        Arrays.fill(classSums, 0, classes, 0.0f);
        for (int i = 0; i < rows; i++) {
            int o = i * classes;
            for (int j = 0; j < classes; j++) {
                float d = out[o + j];
                classSums[j] += d * d;
                out[o + j] = coef * d;
            }
        }
        double sum = 0.0;
        for (int j = 0; j < classes; j++) {
            sum += classSums[j];
        }
        return sum;
    }

    /**
     * The unnormalised loss of one row (summed over classes for MSE; −log softmax for CE), and,
     * when {@code r} is not null, dL/dout for the whole batch written to r[ro..ro+classes).
     */
    public static double rowLoss(LossKind loss, float[] out, int o, int label, int classes, int batch,
                                 float[] r, int ro) {
        if (loss == LossKind.MSE) {
            float coef = 2.0f / ((float) batch * classes);
            float atLabel = out[o + label];
            float dl = atLabel - 1.0f;
            // the label's term is taken as (out − 1)² on its own: summing out² over the row and
            // then swapping out² for (out − 1)² cancels ≈ 1 − 1 in float and loses a fitted row's loss.
            // Taken before r is written, since r may alias out
            float offLabel = sumSquares(out, o, o + label) + sumSquares(out, o + label + 1, o + classes);
            if (r != null) {
                for (int k = 0; k < classes; k++) {
                    r[ro + k] = coef * out[o + k];
                }
                r[ro + label] = coef * dl;
            }
            return (double) offLabel + (double) dl * dl;
        }
        float max = out[o];
        for (int j = 1; j < classes; j++) {
            max = Math.max(max, out[o + j]);
        }
        double z = 0.0;
        for (int j = 0; j < classes; j++) {
            z += Math.exp(out[o + j] - max);
        }
        double value = Math.log(z) - (out[o + label] - max);
        if (r != null) {
            // r may alias out: the loss value is taken above, before any logit is overwritten
            float inv = 1.0f / batch;
            for (int j = 0; j < classes; j++) {
                float softmax = (float) (Math.exp(out[o + j] - max) / z);
                r[ro + j] = inv * (softmax - (j == label ? 1.0f : 0.0f));
            }
        }
        return value;
    }

    /** Σ out[j]² over [from, to), in float with two accumulators (one chain is latency-bound). */
    private static float sumSquares(float[] out, int from, int to) {
        float s0 = 0.0f;
        float s1 = 0.0f;
        int j = from;
        for (; j + 1 < to; j += 2) {
            s0 += out[j] * out[j];
            s1 += out[j + 1] * out[j + 1];
        }
        if (j < to) {
            s0 += out[j] * out[j];
        }
        return s0 + s1;
    }

    /** Turns a sum of row losses into the reported mean. */
    public static double normalise(LossKind loss, double sum, int batch, int classes) {
        if (batch == 0) {
            return 0.0;
        }
        return loss == LossKind.MSE ? sum / ((double) batch * classes) : sum / batch;
    }
}
