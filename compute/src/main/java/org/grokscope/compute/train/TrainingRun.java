package org.grokscope.compute.train;

import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.backend.Backend;
import org.grokscope.compute.backend.Backends;
import org.grokscope.compute.backend.BatchStats;
import org.grokscope.compute.backend.TrainingEngine;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.Optimizer;
import org.grokscope.compute.rng.SplitMix64;
import org.grokscope.compute.task.Dataset;
import org.grokscope.compute.task.Split;
import org.grokscope.compute.task.Task;
import org.grokscope.compute.task.Tasks;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.RunSpec;

/**
 * One training run as a library call: builds the task, split, initial weights and engine from a
 * spec and advances it an epoch at a time. The metrics of epoch e describe the weights the epoch
 * started from (the forward pass of its own full-batch step, or in minibatch mode an evaluation of
 * the whole train set before the first minibatch, and the test set on the same weights), so epoch
 * 1 shows the network at initialisation.
 */
public final class TrainingRun implements AutoCloseable {
    /** Mixes the epoch into the minibatch seed so each epoch's order can be rebuilt on resume. */
    private static final long EPOCH_STREAM = 0x632BE59BD9B4E019L;

    private final RunSpec spec;
    private final Task task;
    private final Split split;
    private final Backend backend;
    private final TrainingEngine engine;
    private int epoch;

    private TrainingRun(RunSpec spec, Task task, Split split, Backend backend, TrainingEngine engine) {
        this.spec = spec;
        this.task = task;
        this.split = split;
        this.backend = backend;
        this.engine = engine;
    }

    /** Validates the task against p, splits the data and initialises the weights. */
    public static TrainingRun create(RunSpec spec, ComputeSettings settings) {
        Task task = Tasks.parse(spec.task(), spec.p());
        Split split = Split.of(Dataset.of(task), spec.alpha(), spec.splitSeed());
        Weights init = Weights.init(ModelShape.of(spec), spec.initSeed());
        Backend backend = Backends.create(spec.backend(), settings);
        TrainingEngine engine = backend.open(init, new Optimizer(spec.optimizer()), split.train());
        return new TrainingRun(spec, task, split, backend, engine);
    }

    /** Runs one epoch: one full-batch step, or a seeded pass of minibatches. */
    public EpochMetrics runEpoch() {
        int e = epoch + 1;
        boolean evaluate = e % spec.evalEvery() == 0 || e == spec.epochs() || e == 1;
        BatchStats test = evaluate ? engine.evaluate(split.test()) : null;
        double[] weightNorms = engine.weightNorms();
        BatchStats trainStats;
        int trainSize = split.train().size();
        if (spec.batchSize() == 0 || spec.batchSize() >= trainSize) {
            trainStats = engine.step(null);
        } else {
            // measured on the weights the epoch starts from, like the test metrics: a mean over
            // the minibatches as they were trained would mix the weights of the whole epoch
            trainStats = engine.evaluate(split.train());
            minibatchEpoch(e, trainSize);
        }
        double[] gradientNorms = engine.gradientNorms();
        epoch = e;
        return new EpochMetrics(e, trainStats.loss(), trainStats.accuracy(),
                test == null ? Double.NaN : test.loss(), test == null ? Double.NaN : test.accuracy(),
                weightNorms[0], weightNorms[1], gradientNorms[0], gradientNorms[1]);
    }

    private void minibatchEpoch(int e, int trainSize) {
        int[] order = new int[trainSize];
        for (int i = 0; i < trainSize; i++) {
            order[i] = i;
        }
        new SplitMix64(spec.initSeed() ^ (EPOCH_STREAM * e)).shuffle(order);
        for (int from = 0; from < trainSize; from += spec.batchSize()) {
            int size = Math.min(spec.batchSize(), trainSize - from);
            engine.step(java.util.Arrays.copyOfRange(order, from, from + size));
        }
    }

    public int epoch() {
        return epoch;
    }

    /** Continues from a checkpoint: weights and optimizer state after {@code atEpoch} epochs. */
    public void restore(int atEpoch, Weights weights, org.grokscope.compute.optim.OptimizerState state) {
        if (atEpoch < 0 || atEpoch > spec.epochs()) {
            throw new IllegalArgumentException("checkpoint epoch " + atEpoch + " outside the run");
        }
        engine.restore(weights, state);
        epoch = atEpoch;
    }

    public RunSpec spec() {
        return spec;
    }

    public Task task() {
        return task;
    }

    public Split split() {
        return split;
    }

    public Backend backend() {
        return backend;
    }

    public TrainingEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        engine.close();
    }
}
