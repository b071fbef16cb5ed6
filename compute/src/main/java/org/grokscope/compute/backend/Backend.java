package org.grokscope.compute.backend;

import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.Optimizer;
import org.grokscope.compute.task.Dataset;

/**
 * A way to execute the training step: it opens engines that own a run's weights and optimizer
 * state (on the device, for accelerators) and step them over a fixed training set.
 */
public interface Backend {
    /** Short name as in specs: cpu, naive, ... */
    String name();

    /** What actually executes the kernels, for logs and benchmarks. */
    String device();

    TrainingEngine open(Weights initial, Optimizer optimizer, Dataset train);
}
