package org.grokscope.compute.train;

import org.grokscope.protocol.EpochMetrics;

/**
 * The grokking detector's immutable state (SCIENCE.md §6), folded over a run's epochs: t_fit and
 * t_grok (via {@link GrokProgress}), t_onset and the test-loss-peak precursor.
 * <ul>
 * <li>t_onset: the first evaluated epoch after t_fit whose test accuracy exceeds
 * max(chance, its value at t_fit) + margin and then reaches the grok threshold without falling
 * back below that line. "Its value at t_fit" is the last evaluation at or before t_fit (t_fit may
 * fall between evaluations). Reaching the grok threshold always counts as exceeding the line, so
 * a run already close to it at t_fit still has an onset. When the grok streak starts at or before
 * t_fit (the network generalizes as it fits, or before), there is no rise after t_fit: the onset
 * is then the first epoch of the stretch above chance + margin that runs unbroken into t_grok
 * (known once t_fit is), so t_onset ≤ t_grok always.</li>
 * <li>The test-loss peak: a local maximum of the test loss after t_fit and before t_grok, one the
 * loss rose into, reported once the loss has fallen a set fraction below it. A loss still falling
 * at t_fit (from its value at initialisation) is not a peak.</li>
 * </ul>
 * Epochs are 1-based; -1 means not (yet) found.
 */
public record GrokDetector(GrokProgress progress, double chance, double lastAccuracy, double lastLoss,
                           double baseline, int candidate, int earlyCandidate, int tOnset, double maxTestLoss,
                           int maxTestLossEpoch, int lossPeak) {

    public static GrokDetector start(int classes) {
        return new GrokDetector(GrokProgress.START, 1.0 / classes, Double.NaN, Double.NaN, Double.NaN, -1, -1, -1,
                Double.NEGATIVE_INFINITY, -1, -1);
    }

    public int tFit() {
        return progress.tFit();
    }

    public int tGrok() {
        return progress.tGrok();
    }

    public GrokDetector next(EpochMetrics m, EventSettings s) {
        GrokProgress nextProgress = progress.next(m, s);
        boolean fitNow = progress.tFit() < 0 && nextProgress.tFit() > 0;
        double base = baseline;
        if (fitNow) {
            // the test accuracy at t_fit, or at the last evaluation before it
            double atFit = m.evaluated() ? m.testAccuracy() : lastAccuracy;
            base = Math.max(chance, Double.isNaN(atFit) ? chance : atFit);
        }
        if (!m.evaluated()) {
            return new GrokDetector(nextProgress, chance, lastAccuracy, lastLoss, base, candidate, earlyCandidate,
                    tOnset, maxTestLoss, maxTestLossEpoch, lossPeak);
        }
        double maxLoss = maxTestLoss;
        int maxLossEpoch = maxTestLossEpoch;
        int peak = lossPeak;
        if (peak < 0 && nextProgress.tFit() > 0) {
            boolean rising = !Double.isNaN(lastLoss) && m.testLoss() > lastLoss;
            if (m.testLoss() > maxLoss && rising && progress.tGrok() < 0) {
                maxLoss = m.testLoss();
                maxLossEpoch = m.epoch();
            } else if (maxLossEpoch > 0 && m.testLoss() < maxLoss * (1.0 - s.lossPeakDrop())) {
                peak = maxLossEpoch;
            }
        }
        int cand = candidate;
        int early = earlyCandidate;
        int onset = tOnset;
        if (onset < 0) {
            // the rise measured from chance, for a grok streak that starts before there is a t_fit line
            if (progress.tGrok() < 0) {
                boolean above = m.testAccuracy() > chance + s.onsetMargin() || m.testAccuracy() >= s.grokAccuracy();
                early = above ? (early < 0 ? m.epoch() : early) : -1;
            }
            // reported with t_fit, as grokking is a rise measured against fitting
            int tFit = nextProgress.tFit();
            int tGrok = nextProgress.tGrok();
            if (tGrok > 0 && tFit > 0 && tGrok <= tFit) {
                onset = early;
            }
        }
        if (onset < 0 && nextProgress.tFit() > 0) {
            double line = base + s.onsetMargin();
            if (m.testAccuracy() > line || m.testAccuracy() >= s.grokAccuracy()) {
                cand = cand < 0 ? m.epoch() : cand;
            } else {
                cand = -1;
            }
            if (cand > 0 && nextProgress.tGrok() > 0) {
                onset = cand;
            }
        }
        return new GrokDetector(nextProgress, chance, m.testAccuracy(), m.testLoss(), base, cand, early, onset,
                maxLoss, maxLossEpoch, peak);
    }
}
