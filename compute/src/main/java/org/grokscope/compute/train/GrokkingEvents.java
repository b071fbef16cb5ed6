package org.grokscope.compute.train;

import org.grokscope.protocol.EpochMetrics;

/**
 * Follows a run's metrics as they come, for in-process runs: t_fit (first epoch with train
 * accuracy ≥ fit threshold), t_grok (first evaluated epoch with test accuracy ≥ grok threshold
 * that stays there for {@code hold} consecutive evaluations), t_onset and the test-loss peak
 * (see {@link GrokDetector}). Epochs are 1-based; -1 means not (yet) reached.
 */
public final class GrokkingEvents {
    private final EventSettings settings;
    private GrokDetector detector;

    /** @param classes p, which sets chance accuracy for the onset baseline */
    public GrokkingEvents(EventSettings settings, int classes) {
        this.settings = settings;
        this.detector = GrokDetector.start(classes);
    }

    public void accept(EpochMetrics m) {
        detector = detector.next(m, settings);
    }

    public int tFit() {
        return detector.tFit();
    }

    public int tGrok() {
        return detector.tGrok();
    }

    public int tOnset() {
        return detector.tOnset();
    }

    /** Epoch of the test-loss maximum once the loss has clearly fallen from it. */
    public int testLossPeak() {
        return detector.lossPeak();
    }
}
