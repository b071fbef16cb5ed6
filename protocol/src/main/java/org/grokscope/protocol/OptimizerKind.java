package org.grokscope.protocol;

/**
 * The update rule: gradient descent (with optional heavy-ball or Nesterov momentum and L2 weight
 * decay) or AdamW with decoupled weight decay.
 */
public enum OptimizerKind {
    GD("gd"), ADAMW("adamw");

    private final String specName;

    OptimizerKind(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }

    public static OptimizerKind parse(String field, String value) {
        return Names.parse(field, value, values(), OptimizerKind::specName);
    }
}
