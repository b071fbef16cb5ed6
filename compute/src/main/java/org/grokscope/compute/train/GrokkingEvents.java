package org.grokscope.compute.train;

import org.grokscope.protocol.EpochMetrics;

/**
 * Follows a run's metrics and finds t_fit (first epoch with train accuracy ≥ fit threshold) and
 * t_grok (first evaluated epoch with test accuracy ≥ grok threshold that stays there for
 * {@code hold} consecutive evaluations). Epochs are 1-based; -1 means not (yet) reached.
 */
public final class GrokkingEvents {
    private final EventSettings settings;
    private GrokProgress progress = GrokProgress.START;

    public GrokkingEvents(EventSettings settings) {
        this.settings = settings;
    }

    public void accept(EpochMetrics m) {
        progress = progress.next(m, settings);
    }

    public int tFit() {
        return progress.tFit();
    }

    public int tGrok() {
        return progress.tGrok();
    }
}
