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
 * @param iprFactor    IPR acceleration: growth per epoch over the last checkpoint interval at least
 *                     this times the rate over the interval before
 * @param iprMinRise   ... once IPR is this fraction above its first checkpoint's value
 */
public record EventSettings(double fitAccuracy, double grokAccuracy, int hold, double onsetMargin,
                            double lossPeakDrop, double iprFactor, double iprMinRise) {

    /**
     * The IPR-acceleration precursor (Fig. 6: IPR rises slowly, then fast at grokking): true when
     * IPR grows over the last checkpoint interval at least iprFactor times as fast per epoch as over
     * the interval before, that earlier growth was positive, and IPR has risen iprMinRise above its
     * first value. first is IPR at the first checkpoint; a, b, c at the last three, at epochs
     * ea &lt; eb &lt; ec. Rates per epoch, because the last interval is shorter when the run's
     * epochs are not a multiple of the checkpoint cadence.
     */
    public boolean iprAccelerates(double first, int ea, double a, int eb, double b, int ec, double c) {
        if (!(ea < eb && eb < ec)) {
            throw new IllegalArgumentException("checkpoint epochs must increase: " + ea + ", " + eb + ", " + ec);
        }
        double before = (b - a) / (eb - ea);
        double last = (c - b) / (ec - eb);
        return before > 0 && last >= iprFactor * before && c >= (1.0 + iprMinRise) * first;
    }

    public static EventSettings create(Config config) {
        Config c = config.getConfig("grokscope.events");
        return new EventSettings(c.getDouble("fit-accuracy"), c.getDouble("grok-accuracy"), c.getInt("hold"),
                c.getDouble("onset-margin"), c.getDouble("loss-peak-drop"), c.getDouble("ipr-acceleration.factor"),
                c.getDouble("ipr-acceleration.min-rise"));
    }
}
