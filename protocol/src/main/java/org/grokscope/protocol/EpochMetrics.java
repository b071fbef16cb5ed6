package org.grokscope.protocol;

/**
 * The per-epoch record of a run (SCIENCE.md §4). Train metrics are measured on the weights the
 * epoch started from (the forward pass of its own full-batch step, or in minibatch mode an
 * evaluation of the whole train set before the first minibatch); test metrics are NaN on epochs
 * that were not evaluated. Norms are Frobenius norms; gradient norms are those of the epoch's last
 * step (in minibatch mode, of its last minibatch).
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testLoss,
                           double testAccuracy, double w1Norm, double w2Norm, double grad1Norm,
                           double grad2Norm) {
    public boolean evaluated() {
        return !Double.isNaN(testAccuracy);
    }
}
