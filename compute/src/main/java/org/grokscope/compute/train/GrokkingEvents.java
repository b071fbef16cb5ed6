package org.grokscope.compute.train;

import org.grokscope.protocol.EpochMetrics;

/**
 * Follows a run's metrics and finds t_fit (first epoch with train accuracy ≥ fit threshold) and
 * t_grok (first evaluated epoch with test accuracy ≥ grok threshold that stays there for
 * {@code hold} consecutive evaluations). Epochs are 1-based; -1 means not (yet) reached.
 */
public final class GrokkingEvents {
    private final EventSettings settings;
    private int tFit = -1;
    private int tGrok = -1;
    private int streakStart = -1;
    private int streak;

    public GrokkingEvents(EventSettings settings) {
        this.settings = settings;
    }

    public void accept(EpochMetrics m) {
        if (tFit < 0 && m.trainAccuracy() >= settings.fitAccuracy()) {
            tFit = m.epoch();
        }
        if (tGrok >= 0 || !m.evaluated()) {
            return;
        }
        if (m.testAccuracy() >= settings.grokAccuracy()) {
            if (streak == 0) {
                streakStart = m.epoch();
            }
            streak++;
            if (streak >= settings.hold()) {
                tGrok = streakStart;
            }
        } else {
            streak = 0;
        }
    }

    public int tFit() {
        return tFit;
    }

    public int tGrok() {
        return tGrok;
    }
}
