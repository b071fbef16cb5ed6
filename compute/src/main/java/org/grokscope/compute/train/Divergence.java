package org.grokscope.compute.train;

import org.grokscope.protocol.EpochMetrics;

/**
 * When a run has diverged and training must stop: a non-finite train loss, or non-finite weights.
 * The loss alone misses weights that went NaN where no training pair looks (the embedding column
 * of a token absent from the training set), and such a run would otherwise be recorded completed.
 */
public final class Divergence {
    private Divergence() {
    }

    public static boolean of(EpochMetrics m) {
        return !Double.isFinite(m.trainLoss()) || !Double.isFinite(m.w1Norm()) || !Double.isFinite(m.w2Norm())
                || m.evaluated() && !Double.isFinite(m.testLoss());
    }

    /** What a diverged epoch shows, for the one line that reports it. */
    public static String describe(EpochMetrics m) {
        return !Double.isFinite(m.trainLoss()) ? "train loss " + m.trainLoss()
                : !Double.isFinite(m.w1Norm()) || !Double.isFinite(m.w2Norm())
                        ? "weight norms " + m.w1Norm() + ", " + m.w2Norm()
                        : "test loss " + m.testLoss();
    }
}
