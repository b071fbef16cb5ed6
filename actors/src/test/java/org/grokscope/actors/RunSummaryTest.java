package org.grokscope.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.grokscope.compute.train.EventSettings;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.RunStatus;
import org.grokscope.protocol.events.EpochCompleted;
import org.grokscope.protocol.events.RunCompleted;
import org.grokscope.protocol.events.RunEvent;
import org.grokscope.protocol.events.RunStarted;
import org.junit.jupiter.api.Test;

/**
 * What `runs` and the sweep summary list (t_fit, t_onset, t_grok) comes from the thresholds in
 * force, for finished runs too, so it agrees with the onset detector, which refolds every run
 * with them.
 */
class RunSummaryTest {
    private static EventSettings thresholds(double fit, double grok, int hold) {
        return new EventSettings(fit, grok, hold, 0.1, 0.02, 1.5, 0.25);
    }

    /** Train accuracy 0.5 then 1.0 from epoch 3; test accuracy 0.3 at 1..4, 0.97 from epoch 5. */
    private static List<RunEvent> completedRun(int tFitJournaled, int tGrokJournaled) {
        List<RunEvent> events = new ArrayList<>();
        events.add(new RunStarted("r", Runs.small("add", 3, 10, 5), "test", 0L));
        for (int e = 1; e <= 10; e++) {
            events.add(new EpochCompleted(new EpochMetrics(e, 0.1, e < 3 ? 0.5 : 1.0, 0.2, e < 5 ? 0.3 : 0.97,
                    1, 1, 1, 1)));
        }
        events.add(new RunCompleted(10, tFitJournaled, tGrokJournaled));
        return events;
    }

    @Test
    void aFinishedRunIsReadWithTheThresholdsInForce() {
        // journaled under other thresholds (say fit 0.4, grok 0.25): t_fit 1, t_grok 1
        List<RunEvent> events = completedRun(1, 1);

        RunSummary defaults = RunSummary.fold("r", events, thresholds(0.99, 0.95, 3));
        assertEquals(RunStatus.COMPLETED, defaults.status());
        assertEquals(3, defaults.tFit());
        assertEquals(5, defaults.tGrok());
        assertEquals(5, defaults.tOnset(), "the rise above 0.3 + margin starts where it groks");

        RunSummary strict = RunSummary.fold("r", events, thresholds(0.99, 0.99, 3));
        assertEquals(3, strict.tFit());
        assertEquals(-1, strict.tGrok(), "never at 0.99 on test");
        assertEquals(-1, strict.tOnset(), "no onset without t_grok");

        RunSummary loose = RunSummary.fold("r", events, thresholds(0.4, 0.25, 3));
        assertEquals(1, loose.tFit());
        assertEquals(1, loose.tGrok());
    }
}
