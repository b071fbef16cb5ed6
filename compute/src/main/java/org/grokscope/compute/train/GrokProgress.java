package org.grokscope.compute.train;

import org.grokscope.protocol.EpochMetrics;

/**
 * The immutable state of the grokking-event search (SCIENCE.md §6): t_fit, t_grok and the current
 * streak of evaluations at or above the grok threshold. Epochs are 1-based; -1 means not reached.
 * Event-sourced trainers fold it over their EpochCompleted events.
 */
public record GrokProgress(int tFit, int tGrok, int streakStart, int streak) {
    public static final GrokProgress START = new GrokProgress(-1, -1, -1, 0);

    public GrokProgress next(EpochMetrics m, EventSettings settings) {
        int fit = tFit < 0 && m.trainAccuracy() >= settings.fitAccuracy() ? m.epoch() : tFit;
        if (tGrok >= 0 || !m.evaluated()) {
            return new GrokProgress(fit, tGrok, streakStart, streak);
        }
        if (m.testAccuracy() < settings.grokAccuracy()) {
            return new GrokProgress(fit, -1, -1, 0);
        }
        int start = streak == 0 ? m.epoch() : streakStart;
        int length = streak + 1;
        return new GrokProgress(fit, length >= settings.hold() ? start : -1, start, length);
    }
}
