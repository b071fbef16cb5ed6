package org.grokscope.protocol;

/**
 * Optimizer hyperparameters of a run. For {@code gd}: lr, momentum (0 = none), nesterov, and L2
 * weight decay added to the gradient. For {@code adamw}: lr, beta1, beta2, eps and decoupled weight
 * decay, with PyTorch's semantics.
 */
public record OptimizerSpec(OptimizerKind kind, double lr, double momentum, boolean nesterov,
                            double weightDecay, double beta1, double beta2, double eps) {
    public OptimizerSpec {
        Checks.positive("optimizer.lr", lr);
        Checks.range("optimizer.momentum", momentum, 0.0, true, 1.0, false);
        Checks.range("optimizer.weight-decay", weightDecay, 0.0, true, Double.MAX_VALUE, true);
        Checks.range("optimizer.beta1", beta1, 0.0, true, 1.0, false);
        Checks.range("optimizer.beta2", beta2, 0.0, true, 1.0, false);
        Checks.positive("optimizer.eps", eps);
        if (nesterov && kind != OptimizerKind.GD) {
            throw new SpecException("optimizer.nesterov", "applies to optimizer gd only, not " + kind.specName());
        }
        if (nesterov && momentum == 0.0) {
            throw new SpecException("optimizer.nesterov", "needs optimizer.momentum in (0, 1), got 0");
        }
        // gd's decay is coupled L2: each step scales W by 1 − lr·wd before the gradient, so from
        // lr·wd = 1 on it zeroes or flips the weights instead of shrinking them
        if (kind == OptimizerKind.GD && lr * weightDecay >= 1.0) {
            throw new SpecException("optimizer.weight-decay", "with gd it is L2 coupled to lr (each step scales the "
                    + "weights by 1 - lr*wd), so it must be in [0, 1/lr) = [0, " + Checks.fmt(1.0 / lr) + "), got "
                    + Checks.fmt(weightDecay) + " at lr " + Checks.fmt(lr));
        }
        if (momentum != 0.0 && kind != OptimizerKind.GD) {
            throw new SpecException("optimizer.momentum", "applies to optimizer gd only; adamw uses beta1");
        }
    }
}
