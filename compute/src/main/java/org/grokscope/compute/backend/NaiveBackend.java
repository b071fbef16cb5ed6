package org.grokscope.compute.backend;

import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.ReferenceModel;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.Optimizer;
import org.grokscope.compute.optim.OptimizerState;
import org.grokscope.compute.task.Dataset;

/**
 * The naive twin of the CPU backend: {@link ReferenceModel} in double for the gradients and
 * {@link Optimizer#updateNaive} for the update, single-threaded, no BLAS. Slow on purpose; it is
 * the yardstick for tests and the baseline row of {@code grokscope bench}.
 */
public final class NaiveBackend implements Backend {
    @Override
    public String name() {
        return "naive";
    }

    @Override
    public String device() {
        return "CPU, 1 thread, plain Java loops in double";
    }

    @Override
    public TrainingEngine open(Weights initial, Optimizer optimizer, Dataset train) {
        return new Engine(initial, optimizer, train);
    }

    private static final class Engine implements TrainingEngine {
        private final ModelShape shape;
        private final Optimizer optimizer;
        private final Dataset train;
        private final float[] w1t;
        private final float[] w2;
        private float[] gw1t;
        private float[] gw2;
        private OptimizerState state;

        Engine(Weights initial, Optimizer optimizer, Dataset train) {
            this.shape = initial.shape();
            this.optimizer = optimizer;
            this.train = train;
            this.w1t = initial.w1t().clone();
            this.w2 = initial.w2().clone();
            this.gw1t = new float[w1t.length];
            this.gw2 = new float[w2.length];
            this.state = OptimizerState.zero(w1t.length, w2.length);
        }

        @Override
        public BatchStats computeGradients(int[] rows) {
            double[] g1 = new double[w1t.length];
            double[] g2 = new double[w2.length];
            double[] la = ReferenceModel.gradient(shape, ReferenceModel.toDouble(w1t), ReferenceModel.toDouble(w2),
                    train, rows, g1, g2);
            gw1t = ReferenceModel.toFloat(g1);
            gw2 = ReferenceModel.toFloat(g2);
            return new BatchStats(la[0], la[1], rows == null ? train.size() : rows.length);
        }

        @Override
        public void applyUpdate() {
            long t = state.step() + 1;
            Optimizer.updateNaive(optimizer.spec(), t, w1t, gw1t, state.first1(), state.second1());
            Optimizer.updateNaive(optimizer.spec(), t, w2, gw2, state.first2(), state.second2());
            state = new OptimizerState(t, state.first1(), state.second1(), state.first2(), state.second2());
        }

        @Override
        public BatchStats evaluate(Dataset data) {
            double[] la = ReferenceModel.lossAndAccuracy(shape, ReferenceModel.toDouble(w1t),
                    ReferenceModel.toDouble(w2), data, null);
            return new BatchStats(la[0], la[1], data.size());
        }

        @Override
        public Weights weights() {
            return new Weights(shape, w1t.clone(), w2.clone());
        }

        @Override
        public float[] gradW1t() {
            return gw1t.clone();
        }

        @Override
        public float[] gradW2() {
            return gw2.clone();
        }

        @Override
        public double[] weightNorms() {
            return new double[] {Norms.frobenius(w1t), Norms.frobenius(w2)};
        }

        @Override
        public double[] gradientNorms() {
            return new double[] {Norms.frobenius(gw1t), Norms.frobenius(gw2)};
        }

        @Override
        public OptimizerState optimizerState() {
            return state.copy();
        }

        @Override
        public void restore(Weights weights, OptimizerState restored) {
            System.arraycopy(weights.w1t(), 0, w1t, 0, w1t.length);
            System.arraycopy(weights.w2(), 0, w2, 0, w2.length);
            state = restored.copy();
        }

        @Override
        public void close() {
        }
    }
}
