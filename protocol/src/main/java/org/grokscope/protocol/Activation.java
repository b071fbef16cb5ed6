package org.grokscope.protocol;

/** The hidden-layer nonlinearity φ of a run, as named in specs. */
public enum Activation {
    QUAD("quad"), RELU("relu"), GELU("gelu"), TANH("tanh"), IDENTITY("identity"), CUBE("cube");

    private final String specName;

    Activation(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }

    public static Activation parse(String field, String value) {
        return Names.parse(field, value, values(), Activation::specName);
    }
}
