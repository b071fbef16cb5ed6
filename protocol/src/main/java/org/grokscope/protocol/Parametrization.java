package org.grokscope.protocol;

/**
 * How the readout is scaled and the weights initialised: mean-field is Gromov's (2/N)·W2·φ(W1·x)
 * with N(0,1) weights; standard drops the 2/N and puts the scale into the initial weights.
 */
public enum Parametrization {
    MEAN_FIELD("mean-field"), STANDARD("standard");

    private final String specName;

    Parametrization(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }

    public static Parametrization parse(String field, String value) {
        return Names.parse(field, value, values(), Parametrization::specName);
    }
}
