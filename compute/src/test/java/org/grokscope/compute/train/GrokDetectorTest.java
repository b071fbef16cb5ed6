package org.grokscope.compute.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        assertTrue(s.iprAccelerates(0.04, 100, 0.05, 200, 0.055, 300, 0.065), "growth 0.005 then 0.010, 62% above start");
        assertTrue(!s.iprAccelerates(0.04, 100, 0.041, 200, 0.042, 300, 0.043), "steady growth is no acceleration");
        assertTrue(!s.iprAccelerates(0.04, 100, 0.040, 200, 0.041, 300, 0.044), "accelerating noise near the start is ignored");
        assertTrue(!s.iprAccelerates(0.04, 100, 0.06, 200, 0.05, 300, 0.07), "a fall before is no acceleration");
        // a run of 1000 epochs checkpointed every 300: the last interval is 100 epochs long
        assertTrue(s.iprAccelerates(0.04, 600, 0.05, 900, 0.056, 1000, 0.061),
                "0.006 per 300 epochs, then 0.005 per 100: 2.5 times as fast");
        assertTrue(!s.iprAccelerates(0.04, 600, 0.05, 900, 0.065, 1000, 0.072),
                "0.015 per 300 epochs, then 0.007 per 100: 1.4 times as fast, under the factor 1.5");
        assertThrows(IllegalArgumentException.class, () -> s.iprAccelerates(0.04, 200, 0.05, 200, 0.06, 300, 0.07));
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

    private static EpochMetrics unevaluated(int epoch, double trainAcc) {
        return new EpochMetrics(epoch, 0.01, trainAcc, Double.NaN, Double.NaN, 1, 1, 0, 0);
    }

    /** Evaluated every 10 epochs: t_fit at 464 lies between the evaluations at 460 and 470. */
    @Test
    void theOnsetBaselineIsTheLastEvaluationAtOrBeforeTFit() {
        GrokDetector d = GrokDetector.start(97);
        for (int e = 1; e <= 500; e++) {
            double train = e >= 464 ? 1.0 : 0.5;
            if (e % 10 != 0) {
                d = d.next(unevaluated(e, train), S);
                continue;
            }
            // 0.5 at 460 (the value at t_fit); 0.96 from 470, the first evaluation after t_fit
            d = d.next(m(e, train, e <= 460 ? 0.5 : 0.96, 0.1), S);
        }
        assertEquals(464, d.tFit());
        assertEquals(470, d.tGrok());
        // a baseline taken at 470 instead (0.96) would put the line at 1.06: no onset at all
        assertEquals(470, d.tOnset());
    }

    /** A baseline so high that base + margin is above the grok threshold: onset is where it is reached. */
    @Test
    void theOnsetNeverComesAfterTGrok() {
        GrokDetector d = GrokDetector.start(97);
        double[] acc = {0.5, 0.7, 0.88, 0.93, 0.955, 0.99, 0.99};   // epochs 350, 360, ..., 410
        for (int e = 341; e <= 410; e++) {
            double train = e >= 378 ? 1.0 : 0.9;
            d = e % 10 == 0 ? d.next(m(e, train, acc[(e - 350) / 10], 0.1), S) : d.next(unevaluated(e, train), S);
        }
        assertEquals(378, d.tFit());
        assertEquals(390, d.tGrok(), "0.955 at 390 and 0.99 at 400 hold for two evaluations");
        // baseline 0.88 (epoch 370), line 0.98: 0.955 is below it but reaches the grok threshold
        assertEquals(390, d.tOnset());
        assertTrue(d.tOnset() <= d.tGrok());
    }

    /** Test accuracy holds above the grok threshold before train accuracy reaches t_fit's. */
    @Test
    void aGrokBeforeTFitHasItsOnsetBeforeIt() {
        GrokDetector d = GrokDetector.start(97);
        for (int e = 1; e <= 20; e++) {
            // a dip at 6, after t_grok is confirmed at 5, does not move the onset
            double test = e < 3 ? 0.01 : e == 3 ? 0.5 : e == 6 ? 0.02 : 0.96;
            d = d.next(m(e, e >= 8 ? 1.0 : 0.98, test, 0.1), S);
            if (e == 7) {
                assertEquals(-1, d.tOnset(), "reported with t_fit, not before it");
            }
        }
        assertEquals(8, d.tFit());
        assertEquals(4, d.tGrok());
        assertEquals(3, d.tOnset(), "the rise from chance that ran into t_grok, not the first evaluation after t_fit");
    }

    /** The grok streak starts one epoch before t_fit and is confirmed after it. */
    @Test
    void aGrokStreakStraddlingTFitHasItsOnsetBeforeIt() {
        GrokDetector d = GrokDetector.start(97);
        for (int e = 1; e <= 20; e++) {
            double test = e < 7 ? 0.01 : e == 7 ? 0.05 : e == 8 ? 0.4 : e == 9 ? 0.8 : 0.97;
            d = d.next(m(e, e >= 11 ? 1.0 : 0.9, test, 0.1), S);
        }
        assertEquals(11, d.tFit());
        assertEquals(10, d.tGrok());
        assertEquals(8, d.tOnset(), "0.4 at 8 is the first value above chance + 0.1 in the unbroken rise");
    }

    /** The AdamW example's shape: the test loss is still falling at t_fit, and falls through grokking. */
    @Test
    void aLossStillFallingAtTFitIsNoPeak() {
        GrokDetector d = GrokDetector.start(97);
        for (int e = 1; e <= 100; e++) {
            d = d.next(m(e, e >= 20 ? 1.0 : 0.5, e >= 60 ? 0.99 : 0.02, 0.5 - e * 0.004), S);
        }
        assertEquals(20, d.tFit());
        assertEquals(-1, d.lossPeak(), "no maximum after t_fit: the loss never rose");

        // the same, with a bump the loss rises into at 40 and falls 10% from by 45
        GrokDetector b = GrokDetector.start(97);
        for (int e = 1; e <= 100; e++) {
            double loss = e < 35 ? 0.5 - e * 0.004 : e <= 40 ? 0.36 + (e - 35) * 0.01 : 0.41 - (e - 40) * 0.01;
            b = b.next(m(e, e >= 20 ? 1.0 : 0.5, e >= 60 ? 0.99 : 0.02, loss), S);
        }
        assertEquals(40, b.lossPeak(), "the local maximum the loss rose into");
    }
}
