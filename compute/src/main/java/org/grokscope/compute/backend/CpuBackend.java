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
        // everything that changes the bits: threads do not, but are recorded as they change speed
        return "CPU, " + settings.threads() + " threads, " + settings.lanes() + " lanes, tile rows "
                + settings.tileRows() + "; " + Blas.describe();
    }

    @Override
    public TrainingEngine open(Weights initial, Optimizer optimizer, Dataset train) {
        return new CpuEngine(settings, initial, optimizer, train);
    }

    /**
     * For {@code grokscope bench}: the sgemm calls of one full-batch step of a cpu engine and nothing
     * else (same lanes, tiles, shapes and threads), so a step's speed can be set against what its
     * GEMMs alone allow on the same machine. The engine's training state is not touched.
     *
     * @throws IllegalArgumentException if the engine is not a cpu engine
     */
    public static Runnable gemmsOnly(TrainingEngine engine) {
        if (!(engine instanceof CpuEngine cpu)) {
            throw new IllegalArgumentException("not a cpu engine: " + engine.getClass().getSimpleName());
        }
        return cpu::gemmsOnly;
    }
}
