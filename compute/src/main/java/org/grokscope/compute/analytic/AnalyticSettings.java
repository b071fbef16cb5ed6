package org.grokscope.compute.analytic;

import com.typesafe.config.Config;
import java.util.Locale;
import org.grokscope.protocol.SpecException;

/**
 * The choices of the analytic construction the paper leaves open, from {@code grokscope.analytic}.
 *
 * @param w1Amplitude    scale a of the first layer (preactivations a·(cos + cos))
 * @param readout        which branches of F⁻¹ a readout row uses
 * @param zeroVote       output a detector neuron adds to the absorbed label
 * @param gainQuadrature grid points per angle when measuring the activation's gain
 */
public record AnalyticSettings(double w1Amplitude, Readout readout, double zeroVote, int gainQuadrature) {

    /** Branches of F⁻¹ read by row q of W2. */
    public enum Readout {
        ONE_BRANCH("one-branch"), ALL_BRANCHES("all-branches");

        private final String specName;

        Readout(String specName) {
            this.specName = specName;
        }

        public String specName() {
            return specName;
        }

        public static Readout parse(String field, String value) {
            for (Readout r : values()) {
                if (r.specName.equals(value.strip().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
            throw new SpecException(field, "unknown value '" + value + "'; allowed: one-branch, all-branches");
        }
    }

    public AnalyticSettings {
        if (!(w1Amplitude > 0) || Double.isInfinite(w1Amplitude)) {
            throw new SpecException("analytic.w1-amplitude", "must be a positive number, got " + w1Amplitude);
        }
        if (!(zeroVote > 0) || Double.isInfinite(zeroVote)) {
            throw new SpecException("analytic.zero-vote", "must be a positive number, got " + zeroVote);
        }
        if (gainQuadrature < 8) {
            throw new SpecException("analytic.gain-quadrature", "must be at least 8, got " + gainQuadrature);
        }
    }

    public static AnalyticSettings create(Config config) {
        Config c = config.getConfig("grokscope.analytic");
        return new AnalyticSettings(c.getDouble("w1-amplitude"), Readout.parse("analytic.readout", c.getString("readout")),
                c.getDouble("zero-vote"), c.getInt("gain-quadrature"));
    }

    public AnalyticSettings withReadout(Readout r) {
        return new AnalyticSettings(w1Amplitude, r, zeroVote, gainQuadrature);
    }

    public AnalyticSettings withW1Amplitude(double a) {
        return new AnalyticSettings(a, readout, zeroVote, gainQuadrature);
    }
}
