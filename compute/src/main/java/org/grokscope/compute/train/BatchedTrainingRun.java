package org.grokscope.compute.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.backend.Backend;
import org.grokscope.compute.backend.Backends;
import org.grokscope.compute.backend.BatchStats;
import org.grokscope.compute.backend.TrainingBatch;
import org.grokscope.compute.backend.TrainingEngine;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.Optimizer;
import org.grokscope.compute.optim.OptimizerState;
import org.grokscope.compute.task.Dataset;
import org.grokscope.compute.task.Split;
import org.grokscope.compute.task.Tasks;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.RunSpec;

/**
 * Several runs advanced in lockstep through one {@link TrainingBatch}: the sweep-sized sibling of
 * {@link TrainingRun}, with the same epoch semantics (metrics describe the weights an epoch
 * started from; the test set is evaluated on the same schedule). Members may differ in seeds, α
 * and optimizer hyper-parameters; everything that fixes shapes or the schedule must agree (see
 * {@link #key}).
 */
public final class BatchedTrainingRun implements AutoCloseable {
    private final List<RunSpec> specs;
    private final List<Split> splits;
    private final Backend backend;
    private final TrainingBatch batch;
    private final RunSpec schedule;
    private int epoch;

    private BatchedTrainingRun(List<RunSpec> specs, List<Split> splits, Backend backend, TrainingBatch batch) {
        this.specs = List.copyOf(specs);
        this.splits = List.copyOf(splits);
        this.backend = backend;
        this.batch = batch;
        this.schedule = specs.get(0);
    }

    /**
     * What runs must share to be stepped together: task, shapes, loss, optimizer kind, schedule
     * and backend. Null for runs that cannot be batched (minibatch training).
     */
    public static String key(RunSpec s) {
        if (s.batchSize() != 0) {
            return null;
        }
        return String.join("|", s.task(), Integer.toString(s.p()), Integer.toString(s.width()),
                s.activation().specName(), s.parametrization().specName(), s.loss().specName(),
                s.optimizer().kind().specName(), Integer.toString(s.epochs()), Integer.toString(s.evalEvery()),
                Integer.toString(s.checkpointEvery()), s.backend().specName());
    }

    public static BatchedTrainingRun create(List<RunSpec> specs, ComputeSettings settings) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one run");
        }
        String key = key(specs.get(0));
        for (RunSpec s : specs) {
            if (key == null || !Objects.equals(key, key(s))) {
                throw new IllegalArgumentException("runs cannot be batched together: " + key + " vs " + key(s));
            }
        }
        List<Split> splits = new ArrayList<>();
        List<Weights> init = new ArrayList<>();
        List<Optimizer> optimizers = new ArrayList<>();
        List<Dataset> train = new ArrayList<>();
        // the key fixes task and p, so every member splits the same dataset
        Dataset all = Dataset.of(Tasks.parse(specs.get(0).task(), specs.get(0).p()));
        for (RunSpec s : specs) {
            Split split = Split.of(all, s.alpha(), s.splitSeed());
            splits.add(split);
            init.add(Weights.init(ModelShape.of(s), s.initSeed()));
            optimizers.add(new Optimizer(s.optimizer()));
            train.add(split.train());
        }
        Backend backend = Backends.create(specs.get(0).backend(), settings);
        return new BatchedTrainingRun(specs, splits, backend, backend.openBatch(init, optimizers, train));
    }

    /** One epoch of every member; metrics in member order. */
    public List<EpochMetrics> runEpoch() {
        int e = epoch + 1;
        boolean evaluate = e % schedule.evalEvery() == 0 || e == schedule.epochs() || e == 1;
        int size = batch.size();
        BatchStats[] test = null;
        if (evaluate) {
            Dataset[] testSets = new Dataset[size];
            for (int r = 0; r < size; r++) {
                testSets[r] = splits.get(r).test();
            }
            test = batch.evaluate(testSets);
        }
        double[][] before = batch.norms();
        BatchStats[] trainStats = batch.step();
        double[][] after = batch.norms();
        List<EpochMetrics> metrics = new ArrayList<>(size);
        for (int r = 0; r < size; r++) {
            BatchStats t = test == null ? null : test[r];
            metrics.add(new EpochMetrics(e, trainStats[r].loss(), trainStats[r].accuracy(),
                    t == null ? Double.NaN : t.loss(), t == null ? Double.NaN : t.accuracy(),
                    before[r][0], before[r][1], after[r][2], after[r][3]));
        }
        epoch = e;
        return metrics;
    }

    public int epoch() {
        return epoch;
    }

    public int size() {
        return batch.size();
    }

    public List<RunSpec> specs() {
        return specs;
    }

    /** Member r, for checkpoints (weights and optimizer state). */
    public TrainingEngine member(int r) {
        return batch.member(r);
    }

    public String device() {
        return batch.device();
    }

    public Backend backend() {
        return backend;
    }

    /** Continues every member from checkpoints taken after the same number of epochs. */
    public void restore(int atEpoch, List<Weights> weights, List<OptimizerState> states) {
        if (atEpoch < 0 || atEpoch > schedule.epochs()) {
            throw new IllegalArgumentException("checkpoint epoch " + atEpoch + " outside the run");
        }
        if (weights.size() != batch.size() || states.size() != batch.size()) {
            throw new IllegalArgumentException("one checkpoint per member is needed");
        }
        for (int r = 0; r < batch.size(); r++) {
            batch.member(r).restore(weights.get(r), states.get(r));
        }
        epoch = atEpoch;
    }

    @Override
    public void close() {
        batch.close();
    }
}
