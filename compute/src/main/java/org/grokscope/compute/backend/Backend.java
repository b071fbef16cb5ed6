package org.grokscope.compute.backend;

import java.util.List;
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

    /**
     * R runs of one shape stepped together. Backends with a batched kernel override this; the
     * default steps ordinary engines one after another.
     */
    default TrainingBatch openBatch(List<Weights> initial, List<Optimizer> optimizers, List<Dataset> train) {
        return new SequentialBatch(this, initial, optimizers, train);
    }
}
