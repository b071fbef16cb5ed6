package org.grokscope.compute.backend;

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

    /** What executes the batched kernels, for logs and benchmarks. */
    String device();

    @Override
    void close();
}
