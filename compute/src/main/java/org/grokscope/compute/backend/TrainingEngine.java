package org.grokscope.compute.backend;

import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.OptimizerState;
import org.grokscope.compute.task.Dataset;

/**
 * One run's state on a backend: weights, gradients and optimizer state, stepped over its training
 * set. {@link #computeGradients} and {@link #applyUpdate} are separate so tests can inspect the
 * gradients; {@link #step} does both.
 */
public interface TrainingEngine extends AutoCloseable {

    /**
     * Forward and backward over the given rows of the training set (null: all rows, summed in an
     * order of the backend's choosing); keeps the gradients and returns loss and accuracy of the
     * weights before the update.
     */
    BatchStats computeGradients(int[] rows);

    /** One optimizer step with the kept gradients. */
    void applyUpdate();

    default BatchStats step(int[] rows) {
        BatchStats stats = computeGradients(rows);
        applyUpdate();
        return stats;
    }

    /** Forward only over a dataset (usually the test set). */
    BatchStats evaluate(Dataset data);

    /** A copy of the current weights. */
    Weights weights();

    /** Gradient of W1 in the transposed (2p, N) layout, a copy. */
    float[] gradW1t();

    /** Gradient of W2 (p, N), a copy. */
    float[] gradW2();

    /** Frobenius norms of W1 and W2. */
    double[] weightNorms();

    /** Frobenius norms of the kept gradients of W1 and W2. */
    double[] gradientNorms();

    /** Frobenius norms: W1, W2, grad W1, grad W2. */
    default double[] norms() {
        double[] w = weightNorms();
        double[] g = gradientNorms();
        return new double[] {w[0], w[1], g[0], g[1]};
    }

    /** A copy of the optimizer state, for checkpoints. */
    OptimizerState optimizerState();

    /** Replaces weights and optimizer state, for resuming from a checkpoint. */
    void restore(Weights weights, OptimizerState state);

    @Override
    void close();
}
