package org.grokscope.compute.train;

import com.typesafe.config.Config;

/**
 * Thresholds of the grokking events, from {@code grokscope.events} (SCIENCE.md §6).
 *
 * @param fitAccuracy  train accuracy that marks t_fit
 * @param grokAccuracy test accuracy that marks t_grok
 * @param hold         consecutive evaluations the test accuracy must stay at or above grokAccuracy
 */
public record EventSettings(double fitAccuracy, double grokAccuracy, int hold) {
    public static EventSettings create(Config config) {
        Config c = config.getConfig("grokscope.events");
        return new EventSettings(c.getDouble("fit-accuracy"), c.getDouble("grok-accuracy"), c.getInt("hold"));
    }
}
