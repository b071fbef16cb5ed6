package org.grokscope.protocol;

/** The training loss: mean squared error against one-hot labels, or cross-entropy on the logits. */
public enum LossKind {
    MSE("mse"), CSE("cse");

    private final String specName;

    LossKind(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }

    public static LossKind parse(String field, String value) {
        return Names.parse(field, value, values(), LossKind::specName);
    }
}
