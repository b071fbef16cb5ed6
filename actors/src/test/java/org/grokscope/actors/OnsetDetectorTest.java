package org.grokscope.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.grokscope.compute.train.EventSettings;
import org.grokscope.compute.train.GrokDetector;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.events.DetectorEvent;
import org.grokscope.protocol.events.GrokkingDetected;
import org.grokscope.protocol.events.PrecursorDetected;
import org.junit.jupiter.api.Test;

/** What the onset detector journals after an epoch, from the detector's findings and its state. */
class OnsetDetectorTest {
    private static final EventSettings S = new EventSettings(0.99, 0.95, 2, 0.1, 0.02, 1.5, 0.25);

    private static EpochMetrics m(int epoch, double trainAcc, double testAcc, double testLoss) {
        return new EpochMetrics(epoch, 0.1, trainAcc, testLoss, testAcc, 1, 1, 1, 1);
    }

    /**
     * Fits at 5; at 6 the test loss rises into its maximum with accuracy 0.96; at 7 it falls 58%
     * and accuracy holds, so the peak (6) and t_grok (6, two evaluations) and t_onset (6) are
     * first known together at epoch 7, which may be the run's last: both are journaled then.
     */
    @Test
    void aPeakAndAnOnsetFoundAtTheSameEpochAreJournaledTogether() {
        GrokDetector d = GrokDetector.start(97);
        OnsetDetector.State none = new OnsetDetector.State(false, false);
        for (int e = 1; e <= 5; e++) {
            d = d.next(m(e, e == 5 ? 1.0 : 0.5, 0.01, 1.0), S);
            assertEquals(List.of(), OnsetDetector.findings("r", none, d), "epoch " + e);
        }
        d = d.next(m(6, 1.0, 0.96, 1.2), S);
        assertEquals(List.of(), OnsetDetector.findings("r", none, d), "epoch 6: neither is known yet");
        d = d.next(m(7, 1.0, 0.97, 0.5), S);
        List<DetectorEvent> found = OnsetDetector.findings("r", none, d);
        assertEquals(List.of(new PrecursorDetected("r", PrecursorDetected.TEST_LOSS_PEAK, 6),
                new GrokkingDetected("r", 5, 6, 6)), found);
        assertEquals(List.of(new GrokkingDetected("r", 5, 6, 6)),
                OnsetDetector.findings("r", new OnsetDetector.State(false, true), d), "the peak was journaled before");
        assertEquals(List.of(), OnsetDetector.findings("r", new OnsetDetector.State(true, true), d));
    }
}
