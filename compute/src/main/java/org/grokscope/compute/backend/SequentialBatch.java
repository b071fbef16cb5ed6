package org.grokscope.compute.backend;

import java.util.ArrayList;
import java.util.List;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.Optimizer;
import org.grokscope.compute.optim.OptimizerState;
import org.grokscope.compute.task.Dataset;

/**
 * The plain twin of a batched backend: R ordinary engines stepped one after another. Backends
 * without a batched kernel use it, and tests compare batched kernels against it; each member's
 * arithmetic is exactly that of a single run.
 */
public final class SequentialBatch implements TrainingBatch {
    private final String device;
    private final List<TrainingEngine> engines;
    private final List<TrainingEngine> views;

    public SequentialBatch(Backend backend, List<Weights> initial, List<Optimizer> optimizers, List<Dataset> train) {
        if (initial.isEmpty() || initial.size() != optimizers.size() || initial.size() != train.size()) {
            throw new IllegalArgumentException("a batch needs one optimizer and one training set per member");
        }
        this.device = backend.device() + ", " + initial.size() + " runs one after another";
        this.engines = new ArrayList<>(initial.size());
        this.views = new ArrayList<>(initial.size());
        for (int r = 0; r < initial.size(); r++) {
            TrainingEngine engine = backend.open(initial.get(r), optimizers.get(r), train.get(r));
            engines.add(engine);
            views.add(new MemberView(engine));
        }
    }

    @Override
    public int size() {
        return engines.size();
    }

    @Override
    public BatchStats[] step() {
        BatchStats[] stats = new BatchStats[engines.size()];
        for (int r = 0; r < stats.length; r++) {
            stats[r] = engines.get(r).step(null);
        }
        return stats;
    }

    @Override
    public TrainingEngine member(int r) {
        return views.get(r);
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public void close() {
        engines.forEach(TrainingEngine::close);
    }

    /** A member engine that refuses to step on its own. */
    private record MemberView(TrainingEngine engine) implements TrainingEngine {
        @Override
        public BatchStats computeGradients(int[] rows) {
            throw new UnsupportedOperationException("members of a batch step together: use TrainingBatch.step");
        }

        @Override
        public void applyUpdate() {
            throw new UnsupportedOperationException("members of a batch step together: use TrainingBatch.step");
        }

        @Override
        public BatchStats step(int[] rows) {
            throw new UnsupportedOperationException("members of a batch step together: use TrainingBatch.step");
        }

        @Override
        public BatchStats evaluate(Dataset data) {
            return engine.evaluate(data);
        }

        @Override
        public Weights weights() {
            return engine.weights();
        }

        @Override
        public float[] gradW1t() {
            return engine.gradW1t();
        }

        @Override
        public float[] gradW2() {
            return engine.gradW2();
        }

        @Override
        public double[] weightNorms() {
            return engine.weightNorms();
        }

        @Override
        public double[] gradientNorms() {
            return engine.gradientNorms();
        }

        @Override
        public OptimizerState optimizerState() {
            return engine.optimizerState();
        }

        @Override
        public void restore(Weights weights, OptimizerState state) {
            engine.restore(weights, state);
        }

        @Override
        public void close() {
            // the batch owns the engine
        }
    }
}
