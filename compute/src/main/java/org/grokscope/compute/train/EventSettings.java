package org.grokscope.compute.train;

import com.typesafe.config.Config;

/**
 * Thresholds of the grokking events, from {@code grokscope.events} (SCIENCE.md §6).
 *
 * @param fitAccuracy  train accuracy that marks t_fit
 * @param grokAccuracy test accuracy that marks t_grok
 * @param hold         consecutive evaluations the test accuracy must stay at or above grokAccuracy
 * @param onsetMargin  how far above max(chance, test accuracy at t_fit) the rise must go
 * @param lossPeakDrop relative fall of the test loss below its maximum that marks the peak
 * @param iprFactor    IPR acceleration: growth between checkpoints at least this times the last
 * @param iprMinRise   ... once IPR is this fraction above its first checkpoint's value
 */
public record EventSettings(double fitAccuracy, double grokAccuracy, int hold, double onsetMargin,
                            double lossPeakDrop, double iprFactor, double iprMinRise) {

    /**
     * The IPR-acceleration precursor (Fig. 6: IPR rises slowly, then fast at grokking): true when
     * the last growth step is positive, at least iprFactor times the one before, and IPR has risen
     * iprMinRise above its first value. first, a, b, c are IPR at the first and the last three
     * checkpoints.
     */
    public boolean iprAccelerates(double first, double a, double b, double c) {
        double before = b - a;
        double last = c - b;
        return before > 0 && last >= iprFactor * before && c >= (1.0 + iprMinRise) * first;
    }
    public static EventSettings create(Config config) {
        Config c = config.getConfig("grokscope.events");
        return new EventSettings(c.getDouble("fit-accuracy"), c.getDouble("grok-accuracy"), c.getInt("hold"),
                c.getDouble("onset-margin"), c.getDouble("loss-peak-drop"), c.getDouble("ipr-acceleration.factor"),
                c.getDouble("ipr-acceleration.min-rise"));
    }
}
