package org.grokscope.compute.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import org.grokscope.protocol.EpochMetrics;
import org.junit.jupiter.api.Test;

/** t_fit / t_grok on synthetic metric sequences. */
class GrokkingEventsTest {
    private static final EventSettings SETTINGS = new EventSettings(0.99, 0.95, 3, 0.1, 0.02, 1.5, 0.25);
    private static final double NA = Double.NaN;
    /** t_fit and t_grok do not depend on p; 2 classes put chance (the onset baseline) at 0.5 */
    private static final int CLASSES = 2;

    private static EpochMetrics m(int epoch, double trainAcc, double testAcc) {
        return new EpochMetrics(epoch, 0.1, trainAcc, Double.isNaN(testAcc) ? NA : 0.2, testAcc, 1, 1, 0, 0);
    }

    /** Feeds (train, test) accuracy pairs as epochs 1, 2, ...; returns the tracker. */
    private static GrokkingEvents feed(EventSettings settings, double[][] accs) {
        GrokkingEvents ev = new GrokkingEvents(settings, CLASSES);
        for (int i = 0; i < accs.length; i++) {
            ev.accept(m(i + 1, accs[i][0], accs[i][1]));
        }
        return ev;
    }

    @Test
    void nothingReachedStaysMinusOne() {
        GrokkingEvents ev = feed(SETTINGS, new double[][] {{0.1, 0.0}, {0.5, 0.2}, {0.98, 0.94}});
        assertEquals(-1, ev.tFit());
        assertEquals(-1, ev.tGrok());
    }

    @Test
    void tFitIsTheFirstEpochAtOrAboveTheThresholdAndIsKept() {
        GrokkingEvents ev = feed(SETTINGS, new double[][] {
            {0.5, 0.1}, {0.98, 0.1}, {0.99, 0.1}, {1.0, 0.1}, {0.7, 0.1}, {1.0, 0.1}});
        assertEquals(3, ev.tFit(), "0.99 counts (at or above)");
        assertEquals(-1, ev.tGrok());
    }

    @Test
    void tFitNeedsNoEvaluationOfTheTestSet() {
        GrokkingEvents ev = feed(SETTINGS, new double[][] {{0.5, 0.1}, {1.0, NA}});
        assertEquals(2, ev.tFit());
    }

    @Test
    void tGrokIsTheStartOfTheFirstStreakOfHoldEvaluations() {
        GrokkingEvents ev = new GrokkingEvents(SETTINGS, CLASSES);
        ev.accept(m(1, 1.0, 0.5));
        ev.accept(m(2, 1.0, 0.95));
        ev.accept(m(3, 1.0, 0.97));
        assertEquals(-1, ev.tGrok(), "two evaluations are not yet a hold of three");
        ev.accept(m(4, 1.0, 1.0));
        assertEquals(2, ev.tGrok(), "reported at the start of the streak, not where it completes");
        assertEquals(1, ev.tFit());
        // once found it is fixed, whatever follows
        ev.accept(m(5, 1.0, 0.1));
        ev.accept(m(6, 1.0, 1.0));
        ev.accept(m(7, 1.0, 1.0));
        ev.accept(m(8, 1.0, 1.0));
        assertEquals(2, ev.tGrok());
    }

    @Test
    void aDipResetsTheStreak() {
        GrokkingEvents ev = feed(SETTINGS, new double[][] {
            {1, 0.96}, {1, 0.99}, {1, 0.949}, {1, 0.96}, {1, 0.97}, {1, 0.95}, {1, 1.0}});
        assertEquals(4, ev.tGrok(), "the streak from epoch 1 broke at epoch 3; the next starts at 4");
    }

    @Test
    void repeatedDipsNeverGrok() {
        GrokkingEvents ev = feed(SETTINGS, new double[][] {
            {1, 0.96}, {1, 0.99}, {1, 0.5}, {1, 0.96}, {1, 0.97}, {1, 0.2}, {1, 1.0}, {1, 1.0}});
        assertEquals(-1, ev.tGrok());
    }

    @Test
    void epochsWithoutEvaluationAreSkippedNotCountedAndDoNotBreakTheStreak() {
        // evaluated every 10 epochs: epochs 10, 20, 30 above the threshold, NaN in between
        GrokkingEvents ev = new GrokkingEvents(SETTINGS, CLASSES);
        for (int e = 1; e <= 29; e++) {
            double test = e % 10 == 0 ? 0.96 : NA;
            ev.accept(m(e, 1.0, test));
            assertEquals(-1, ev.tGrok(), "at most two evaluations by epoch " + e);
        }
        ev.accept(m(30, 1.0, 0.99));
        assertEquals(10, ev.tGrok());
    }

    @Test
    void nonEvaluatedEpochsDoNotStartAStreak() {
        GrokkingEvents ev = new GrokkingEvents(SETTINGS, CLASSES);
        ev.accept(m(1, 1.0, 0.1));
        ev.accept(m(2, 1.0, NA));
        ev.accept(m(3, 1.0, NA));
        ev.accept(m(4, 1.0, 0.96));
        ev.accept(m(5, 1.0, NA));
        ev.accept(m(6, 1.0, 0.96));
        ev.accept(m(7, 1.0, 0.5));
        ev.accept(m(8, 1.0, 0.96));
        ev.accept(m(9, 1.0, NA));
        ev.accept(m(10, 1.0, 0.96));
        ev.accept(m(11, 1.0, 0.96));
        assertEquals(8, ev.tGrok(), "the dip at 7 reset the streak; 8, 10, 11 hold");
    }

    @Test
    void holdOfOneGroksAtTheFirstGoodEvaluation() {
        GrokkingEvents ev = feed(new EventSettings(0.99, 0.95, 1, 0.1, 0.02, 1.5, 0.25), new double[][] {
            {0.2, 0.1}, {1, NA}, {1, 0.95}, {1, 0.2}});
        assertEquals(3, ev.tGrok());
        assertEquals(2, ev.tFit());
    }

    @Test
    void settingsAreReadFromTheEventsBlock() {
        EventSettings s = EventSettings.create(ConfigFactory.parseString(
                "grokscope.events { fit-accuracy = 0.9, grok-accuracy = 0.8, hold = 5, onset-margin = 0.2, loss-peak-drop = 0.05,"
                        + " ipr-acceleration { factor = 2, min-rise = 0.5 } }"));
        assertEquals(new EventSettings(0.9, 0.8, 5, 0.2, 0.05, 2, 0.5), s);
        // the shipped defaults are present and sane
        EventSettings d = EventSettings.create(ConfigFactory.load());
        assertEquals(true, d.fitAccuracy() > 0 && d.fitAccuracy() <= 1 && d.grokAccuracy() > 0
                && d.grokAccuracy() <= 1 && d.hold() >= 1, d.toString());
    }
}
