package org.grokscope.compute.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grokscope.protocol.EpochMetrics;
import org.junit.jupiter.api.Test;

/** t_onset and the test-loss-peak precursor on synthetic curves with known answers. */
class GrokDetectorTest {
    private static final EventSettings S = new EventSettings(0.99, 0.95, 2, 0.1, 0.02, 1.5, 0.25);

    private static EpochMetrics m(int epoch, double trainAcc, double testAcc, double testLoss) {
        return new EpochMetrics(epoch, 0.01, trainAcc, testLoss, testAcc, 1, 1, 0, 0);
    }

    /** Fig. 1's shape: fit at 10, test near chance, loss peaks at 30, a false start at 35, rise from 40. */
    @Test
    void delayedGeneralization() {
        GrokDetector d = GrokDetector.start(97);
        double[] testAcc = new double[81];
        double[] testLoss = new double[81];
        for (int e = 1; e <= 80; e++) {
            testAcc[e] = e < 35 ? 0.01 : e == 35 ? 0.2 : e == 36 ? 0.05 : e < 40 ? 0.05 : Math.min(1.0, 0.06 + (e - 39) * 0.1);
            // a high loss at initialisation that falls before t_fit is not the precursor
            testLoss[e] = e < 5 ? 0.5 : e <= 30 ? 0.010 + e * 0.0001 : 0.013 - (e - 30) * 0.0002;
            d = d.next(m(e, e >= 10 ? 1.0 : 0.5, testAcc[e], testLoss[e]), S);
        }
        assertEquals(10, d.tFit());
        // base = max(1/97, 0.01) = 0.0103..., line 0.11: 35 crosses then falls back; the rise from 40 lasts
        assertEquals(40, d.tOnset(), "first epoch above the line in the sustained rise");
        assertEquals(48, d.tGrok(), "first of two evaluations >= 0.95");
        assertEquals(30, d.lossPeak(), "test loss maximum after t_fit");
        assertTrue(d.lossPeak() < d.tOnset(), "the precursor comes first");
    }

    @Test
    void iprAccelerationRule() {
        EventSettings s = new EventSettings(0.99, 0.95, 2, 0.1, 0.02, 1.5, 0.25);
        assertTrue(s.iprAccelerates(0.04, 0.05, 0.055, 0.065), "growth 0.005 then 0.010, 62% above start");
        assertTrue(!s.iprAccelerates(0.04, 0.041, 0.042, 0.043), "steady growth is no acceleration");
        assertTrue(!s.iprAccelerates(0.04, 0.040, 0.041, 0.044), "accelerating noise near the start is ignored");
        assertTrue(!s.iprAccelerates(0.04, 0.06, 0.05, 0.07), "a fall before is no acceleration");
    }

    @Test
    void noGrokkingMeansNoOnset() {
        GrokDetector d = GrokDetector.start(97);
        for (int e = 1; e <= 200; e++) {
            d = d.next(m(e, 1.0, e % 7 == 0 ? 0.3 : 0.02, 0.01), S);
        }
        assertEquals(1, d.tFit());
        assertEquals(-1, d.tGrok());
        assertEquals(-1, d.tOnset(), "a run that never groks has no onset");
    }

    @Test
    void unevaluatedEpochsAreSkipped() {
        GrokDetector d = GrokDetector.start(10);
        d = d.next(m(1, 1.0, 0.1, 0.5), S);
        d = d.next(new EpochMetrics(2, 0.01, 1.0, Double.NaN, Double.NaN, 1, 1, 0, 0), S);
        d = d.next(m(3, 1.0, 0.96, 0.1), S);
        d = d.next(m(4, 1.0, 0.97, 0.1), S);
        assertEquals(3, d.tGrok());
        assertEquals(3, d.tOnset());
    }
}
