package org.grokscope.compute.backend;

import org.grokscope.compute.task.Dataset;

/**
 * R runs of one shape stepped together, so one kernel launch advances every run of a sweep
 * group. Each member is also a {@link TrainingEngine} for what is per run (evaluation, norms,
 * weights, optimizer state, restore); stepping goes through the batch only, so the members stay
 * in lockstep.
 */
public interface TrainingBatch extends AutoCloseable {

    int size();

    /**
     * One full-batch step of every member; per member the loss and accuracy of the weights
     * before the step, as {@link TrainingEngine#step} reports them.
     */
    BatchStats[] step();

    /** Member r's view. Its {@code step}, {@code computeGradients} and {@code applyUpdate} throw. */
    TrainingEngine member(int r);

    /**
     * Forward only, member r over {@code data[r]} (null: member r is not evaluated). Batched
     * backends evaluate every member in one pass.
     */
    default BatchStats[] evaluate(Dataset[] data) {
        BatchStats[] stats = new BatchStats[size()];
        for (int r = 0; r < stats.length; r++) {
            stats[r] = data[r] == null ? new BatchStats(0.0, 0.0, 0) : member(r).evaluate(data[r]);
        }
        return stats;
    }

    /** Frobenius norms of every member: W1, W2, grad W1, grad W2. */
    default double[][] norms() {
        double[][] norms = new double[size()][];
        for (int r = 0; r < norms.length; r++) {
            norms[r] = member(r).norms();
        }
        return norms;
    }

    /** What executes the batched kernels, for logs and benchmarks. */
    String device();

    @Override
    void close();
}
