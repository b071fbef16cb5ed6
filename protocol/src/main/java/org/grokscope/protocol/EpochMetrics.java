package org.grokscope.protocol;

/**
 * The per-epoch record of a run (SCIENCE.md §4). Train metrics are measured on the weights the
 * epoch started from (the forward pass of its own step); test metrics are NaN on epochs that were
 * not evaluated. Norms are Frobenius norms; gradient norms are those of the epoch's last step.
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testLoss,
                           double testAccuracy, double w1Norm, double w2Norm, double grad1Norm,
                           double grad2Norm) {
    public boolean evaluated() {
        return !Double.isNaN(testAccuracy);
    }
}
