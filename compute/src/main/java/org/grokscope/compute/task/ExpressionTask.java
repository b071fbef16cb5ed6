package org.grokscope.compute.task;

/**
 * A task given in the spec as an arithmetic expression in n and m; defined on every pair, since
 * the expression language has no division. Built only by {@link ExpressionParser}.
 */
record ExpressionTask(String name, int p, Expr root) implements Task {
    @Override
    public boolean defined(int n, int m) {
        return true;
    }

    @Override
    public int apply(int n, int m) {
        ModArith.checkInput(n, m, p);
        return (int) root.eval(n, m, p);
    }
}
