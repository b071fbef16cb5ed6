package org.grokscope.compute.backend;

import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.Optimizer;
import org.grokscope.compute.task.Dataset;

/**
 * The CPU backend: the three GEMMs of the step through OpenBLAS, everything else in fused Java
 * loops over cache-sized tiles, spread over a pool of worker threads.
 */
public final class CpuBackend implements Backend {
    private final ComputeSettings settings;

    public CpuBackend(ComputeSettings settings) {
        this.settings = settings;
        Blas.init();
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String device() {
        return "CPU, " + settings.threads() + " threads, " + settings.lanes() + " lanes; " + Blas.describe();
    }

    @Override
    public TrainingEngine open(Weights initial, Optimizer optimizer, Dataset train) {
        return new CpuEngine(settings, initial, optimizer, train);
    }
}
