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
 */
public record EventSettings(double fitAccuracy, double grokAccuracy, int hold, double onsetMargin,
                            double lossPeakDrop) {
    public static EventSettings create(Config config) {
        Config c = config.getConfig("grokscope.events");
        return new EventSettings(c.getDouble("fit-accuracy"), c.getDouble("grok-accuracy"), c.getInt("hold"),
                c.getDouble("onset-margin"), c.getDouble("loss-peak-drop"));
    }
}
