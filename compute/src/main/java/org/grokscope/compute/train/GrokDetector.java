package org.grokscope.compute.train;

import org.grokscope.protocol.EpochMetrics;

/**
 * The grokking detector's immutable state (SCIENCE.md §6), folded over a run's epochs: t_fit and
 * t_grok (via {@link GrokProgress}), t_onset — the first evaluated epoch after t_fit whose test
 * accuracy exceeds max(chance, its value at t_fit) + margin and then reaches the grok threshold
 * without falling back below that line — and the test-loss-peak precursor: the epoch of the
 * running maximum of the test loss since t_fit, reported once the loss has fallen a set fraction
 * below it.
 * Epochs are 1-based; -1 means not (yet) found.
 */
public record GrokDetector(GrokProgress progress, double chance, double baseline, int candidate, int tOnset,
                           double maxTestLoss, int maxTestLossEpoch, int lossPeak) {

    public static GrokDetector start(int classes) {
        return new GrokDetector(GrokProgress.START, 1.0 / classes, Double.NaN, -1, -1, Double.NEGATIVE_INFINITY, -1,
                -1);
    }

    public int tFit() {
        return progress.tFit();
    }

    public int tGrok() {
        return progress.tGrok();
    }

    public GrokDetector next(EpochMetrics m, EventSettings s) {
        GrokProgress nextProgress = progress.next(m, s);
        if (!m.evaluated()) {
            return new GrokDetector(nextProgress, chance, baseline, candidate, tOnset, maxTestLoss, maxTestLossEpoch,
                    lossPeak);
        }
        double maxLoss = maxTestLoss;
        int maxLossEpoch = maxTestLossEpoch;
        int peak = lossPeak;
        // before the training set is fitted the test loss mostly falls from its initial value;
        // the precursor is the maximum it reaches afterwards (Fig. 1a)
        if (peak < 0 && nextProgress.tFit() > 0) {
            if (m.testLoss() > maxLoss) {
                maxLoss = m.testLoss();
                maxLossEpoch = m.epoch();
            } else if (m.testLoss() < maxLoss * (1.0 - s.lossPeakDrop())) {
                peak = maxLossEpoch;
            }
        }
        double base = baseline;
        int cand = candidate;
        int onset = tOnset;
        if (onset < 0 && nextProgress.tFit() > 0) {
            if (Double.isNaN(base)) {
                base = Math.max(chance, m.testAccuracy());
            }
            double line = base + s.onsetMargin();
            if (m.testAccuracy() > line) {
                cand = cand < 0 ? m.epoch() : cand;
            } else {
                cand = -1;
            }
            if (cand > 0 && nextProgress.tGrok() > 0) {
                onset = cand;
            }
        }
        return new GrokDetector(nextProgress, chance, base, cand, onset, maxLoss, maxLossEpoch, peak);
    }
}
