package org.grokscope.compute.backend.opencl;

import org.grokscope.compute.backend.BatchStats;
import org.grokscope.compute.backend.TrainingEngine;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.OptimizerState;
import org.grokscope.compute.task.Dataset;

/**
 * One run of an {@link OpenClBatch} seen through the {@link TrainingEngine} contract, so
 * TrainingRun and the Trainer actor use the OpenCL backend unchanged. Stepping goes through the
 * batch and so needs a batch of one run; for larger batches the view serves evaluation,
 * checkpoints and restores of its run while the owner steps the batch.
 */
public final class OpenClEngine implements TrainingEngine {
    private final OpenClBatch batch;
    private final int run;
    private final boolean ownsBatch;

    OpenClEngine(OpenClBatch batch, int run, boolean ownsBatch) {
        if (run < 0 || run >= batch.size()) {
            throw new IllegalArgumentException("run " + run + " outside a batch of " + batch.size());
        }
        this.batch = batch;
        this.run = run;
        this.ownsBatch = ownsBatch;
    }

    @Override
    public BatchStats computeGradients(int[] rows) {
        requireSingle();
        return batch.computeGradients(new int[][] {rows})[0];
    }

    @Override
    public void applyUpdate() {
        requireSingle();
        batch.applyUpdate();
    }

    @Override
    public BatchStats evaluate(Dataset data) {
        Dataset[] sets = new Dataset[batch.size()];
        sets[run] = data;
        return batch.evaluate(sets)[run];
    }

    @Override
    public Weights weights() {
        return batch.weights(run);
    }

    @Override
    public float[] gradW1t() {
        return batch.gradW1t(run);
    }

    @Override
    public float[] gradW2() {
        return batch.gradW2(run);
    }

    @Override
    public double[] weightNorms() {
        double[] n = batch.norms()[run];
        return new double[] {n[0], n[1]};
    }

    @Override
    public double[] gradientNorms() {
        double[] n = batch.norms()[run];
        return new double[] {n[2], n[3]};
    }

    @Override
    public double[] norms() {
        return batch.norms()[run];
    }

    @Override
    public OptimizerState optimizerState() {
        return batch.optimizerState(run);
    }

    @Override
    public void restore(Weights weights, OptimizerState state) {
        batch.restore(run, weights, state);
    }

    /** Which device each kernel ran on. */
    public String deviceReport() {
        return batch.deviceReport();
    }

    @Override
    public void close() {
        if (ownsBatch) {
            batch.close();
        }
    }

    private void requireSingle() {
        if (batch.size() != 1) {
            throw new UnsupportedOperationException("run " + run + " belongs to a batch of " + batch.size()
                    + " runs: step them together with OpenClBatch.step()");
        }
    }
}
