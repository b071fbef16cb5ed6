package org.grokscope.protocol;

/**
 * The update rule: gradient descent (with optional heavy-ball or Nesterov momentum and L2 weight
 * decay) or AdamW with decoupled weight decay. {@code analytic} is no update rule: it marks the
 * journaled runs whose weights {@code grokscope analytic} constructed (Gromov §3), so they sit in
 * the journal beside trained runs; specs cannot ask for it.
 */
public enum OptimizerKind {
    GD("gd"), ADAMW("adamw"), ANALYTIC("analytic");

    private final String specName;

    OptimizerKind(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }

    /** A trainable kind by its spec name. */
    public static OptimizerKind parse(String field, String value) {
        return Names.parse(field, value, new OptimizerKind[] {GD, ADAMW}, OptimizerKind::specName);
    }
}
