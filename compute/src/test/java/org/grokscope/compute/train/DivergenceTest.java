package org.grokscope.compute.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grokscope.protocol.EpochMetrics;
import org.junit.jupiter.api.Test;

/** Divergence is any non-finite loss or weight norm, not the train loss alone. */
class DivergenceTest {
    private static EpochMetrics m(double trainLoss, double testLoss, double testAcc, double w1, double w2) {
        return new EpochMetrics(7, trainLoss, 0.5, testLoss, testAcc, w1, w2, 1, 1);
    }

    @Test
    void finiteEpochsTrainOn() {
        assertFalse(Divergence.of(m(0.1, 0.2, 0.3, 10, 20)));
        assertFalse(Divergence.of(m(0.1, Double.NaN, Double.NaN, 10, 20)), "a test loss not evaluated is NaN");
    }

    @Test
    void nonFiniteLossOrWeightsStopIt() {
        assertTrue(Divergence.of(m(Double.NaN, 0.2, 0.3, 10, 20)));
        assertTrue(Divergence.of(m(Double.POSITIVE_INFINITY, 0.2, 0.3, 10, 20)));
        // W1 columns of tokens no training pair contains went NaN: the train loss does not see them
        assertTrue(Divergence.of(m(0.1, Double.NaN, 0.3, Double.NaN, 20)));
        assertTrue(Divergence.of(m(0.1, 0.2, 0.3, 10, Double.POSITIVE_INFINITY)));
        assertTrue(Divergence.of(m(0.1, Double.NaN, 0.3, 10, 20)), "an evaluated test loss must be finite");
    }
}
