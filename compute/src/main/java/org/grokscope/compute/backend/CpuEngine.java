package org.grokscope.compute.backend;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.model.Activations;
import org.grokscope.compute.model.Losses;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.Optimizer;
import org.grokscope.compute.optim.OptimizerState;
import org.grokscope.compute.task.Dataset;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.LossKind;

/**
 * A run on the CPU backend. The batch is cut into a fixed number of lanes; each lane walks its
 * rows in tiles of T samples and, per tile, gathers and activates Z (T,N), computes the logits
 * with one sgemm, the loss and residual R (T,P), then dZ = s·R·W2 and dW2 += s·Rᵀ·Z with two more
 * sgemms, and scatter-adds φ'(H)⊙dZ into its own W1 gradient. Lane gradients are summed in lane
 * order, so the result does not depend on how many threads ran the lanes.
 */
final class CpuEngine implements TrainingEngine {
    private final ModelShape shape;
    private final Optimizer optimizer;
    private final Dataset train;
    private final int[] allRows;
    private final int threads;
    private final ExecutorService pool;
    private final Lane[] lanes;

    private final float[] w1t;
    private final float[] w2;
    private final FloatBuffer w2buf;
    private final float[] gw1t;
    private final float[] gw2;
    private OptimizerState state;

    CpuEngine(ComputeSettings settings, Weights initial, Optimizer optimizer, Dataset train) {
        this.shape = initial.shape();
        this.optimizer = optimizer;
        this.train = train;
        this.allRows = new int[train.size()];
        for (int i = 0; i < allRows.length; i++) {
            allRows[i] = i;
        }
        this.threads = settings.threads();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "grokscope-cpu");
            t.setDaemon(true);
            return t;
        });
        this.lanes = new Lane[settings.lanes()];
        for (int l = 0; l < lanes.length; l++) {
            lanes[l] = new Lane(shape, settings.tileRows());
        }
        this.w1t = initial.w1t().clone();
        this.w2 = initial.w2().clone();
        this.w2buf = Blas.allocate(w2.length);
        this.gw1t = new float[w1t.length];
        this.gw2 = new float[w2.length];
        this.state = OptimizerState.zero(w1t.length, w2.length);
    }

    @Override
    public BatchStats computeGradients(int[] rows) {
        int[] r = rows == null ? allRows : rows;
        w2buf.put(0, w2);
        runLanes(r.length, (lane, from, to) -> lane.train(train, r, from, to, r.length, w1t, w2buf));
        List<Callable<Void>> reduce = new ArrayList<>();
        for (int[] range : split(w1t.length)) {
            reduce.add(() -> {
                sumLanes(range[0], range[1], gw1t, true);
                return null;
            });
        }
        for (int[] range : split(w2.length)) {
            reduce.add(() -> {
                sumLanes(range[0], range[1], gw2, false);
                return null;
            });
        }
        invokeAll(reduce);
        return collect(r.length);
    }

    @Override
    public BatchStats evaluate(Dataset data) {
        int[] rows = new int[data.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        w2buf.put(0, w2);
        runLanes(rows.length, (lane, from, to) -> lane.evaluate(data, rows, from, to, w1t, w2buf));
        return collect(rows.length);
    }

    @Override
    public void applyUpdate() {
        long t = state.step() + 1;
        Optimizer.StepConstants c = optimizer.constants(t);
        OptimizerState s = state;
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int[] range : split(w1t.length)) {
            tasks.add(() -> {
                optimizer.update(c, w1t, gw1t, s.first1(), s.second1(), range[0], range[1]);
                return null;
            });
        }
        for (int[] range : split(w2.length)) {
            tasks.add(() -> {
                optimizer.update(c, w2, gw2, s.first2(), s.second2(), range[0], range[1]);
                return null;
            });
        }
        invokeAll(tasks);
        state = new OptimizerState(t, s.first1(), s.second1(), s.first2(), s.second2());
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
    public double[] norms() {
        return new double[] {Norms.frobenius(w1t), Norms.frobenius(w2), Norms.frobenius(gw1t), Norms.frobenius(gw2)};
    }

    @Override
    public OptimizerState optimizerState() {
        return state.copy();
    }

    @Override
    public void restore(Weights weights, OptimizerState restored) {
        System.arraycopy(weights.w1t(), 0, w1t, 0, w1t.length);
        System.arraycopy(weights.w2(), 0, w2, 0, w2.length);
        this.state = restored.copy();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private interface LaneWork {
        void run(Lane lane, int from, int to);
    }

    /** Lane l takes rows [l·B/L, (l+1)·B/L): a fixed partition whatever the thread count. */
    private void runLanes(int batch, LaneWork work) {
        List<Callable<Void>> tasks = new ArrayList<>(lanes.length);
        for (int l = 0; l < lanes.length; l++) {
            Lane lane = lanes[l];
            int from = (int) ((long) batch * l / lanes.length);
            int to = (int) ((long) batch * (l + 1) / lanes.length);
            tasks.add(() -> {
                work.run(lane, from, to);
                return null;
            });
        }
        invokeAll(tasks);
    }

    private void sumLanes(int from, int to, float[] target, boolean w1) {
        System.arraycopy(w1 ? lanes[0].gw1t : lanes[0].gw2, from, target, from, to - from);
        for (int l = 1; l < lanes.length; l++) {
            float[] src = w1 ? lanes[l].gw1t : lanes[l].gw2;
            for (int i = from; i < to; i++) {
                target[i] += src[i];
            }
        }
    }

    private BatchStats collect(int batch) {
        double loss = 0.0;
        long correct = 0;
        for (Lane lane : lanes) {
            loss += lane.lossSum;
            correct += lane.correct;
        }
        return new BatchStats(Losses.normalise(shape.loss(), loss, batch, shape.p()),
                batch == 0 ? 0.0 : (double) correct / batch, batch);
    }

    /** Element ranges for the elementwise passes: one per thread. */
    private List<int[]> split(int length) {
        List<int[]> ranges = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) length * t / threads);
            int to = (int) ((long) length * (t + 1) / threads);
            if (to > from) {
                ranges.add(new int[] {from, to});
            }
        }
        return ranges;
    }

    private void invokeAll(List<Callable<Void>> tasks) {
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a training step", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Per-lane scratch and accumulators; touched by one thread at a time. */
    private static final class Lane {
        private final ModelShape shape;
        private final int tileRows;
        private final float[] z;
        private final float[] dz;
        private final float[] out;
        private final FloatBuffer zb;
        private final FloatBuffer dzb;
        private final FloatBuffer outb;
        private final FloatBuffer gw2b;
        final float[] gw1t;
        final float[] gw2;
        double lossSum;
        long correct;

        Lane(ModelShape shape, int tileRows) {
            this.shape = shape;
            this.tileRows = tileRows;
            int n = shape.width();
            int p = shape.p();
            z = new float[tileRows * n];
            dz = new float[tileRows * n];
            out = new float[tileRows * p];
            zb = Blas.allocate(tileRows * n);
            dzb = Blas.allocate(tileRows * n);
            outb = Blas.allocate(tileRows * p);
            gw2b = Blas.allocate(p * n);
            gw1t = new float[shape.w1Size()];
            gw2 = new float[shape.w2Size()];
        }

        // w1t is (2p,N), w2 is (P,N); a tile's z and dz are (T,N), out and the residual (T,P)
        void train(Dataset data, int[] rows, int from, int to, int batch, float[] w1t, FloatBuffer w2) {
            int n = shape.width();
            int p = shape.p();
            float s = shape.readoutScale();
            Activation act = shape.activation();
            java.util.Arrays.fill(gw1t, 0.0f);
            lossSum = 0.0;
            correct = 0;
            boolean first = true;
            for (int t0 = from; t0 < to; t0 += tileRows) {
                int rowsInTile = Math.min(tileRows, to - t0);
                forwardTile(data, rows, t0, rowsInTile, w1t, w2, act, n, p, s);
                for (int i = 0; i < rowsInTile; i++) {
                    int label = data.q()[rows[t0 + i]];
                    if (Losses.argmax(out, i * p, p) == label) {
                        correct++;
                    }
                    lossSum += Losses.rowLoss(shape.loss(), out, i * p, label, p, batch, out, i * p);
                }
                outb.put(0, out, 0, rowsInTile * p);
                // dZ (T,N) = s·R (T,P)·W2 (P,N)
                Blas.sgemm(false, false, rowsInTile, n, p, s, outb, p, w2, n, 0.0f, dzb, n);
                // dW2 (P,N) += s·Rᵀ (P,T)·Z (T,N)
                Blas.sgemm(true, false, p, n, rowsInTile, s, outb, p, zb, n, first ? 0.0f : 1.0f, gw2b, n);
                first = false;
                dzb.get(0, dz, 0, rowsInTile * n);
                for (int i = 0; i < rowsInTile; i++) {
                    int b = rows[t0 + i];
                    Activations.backwardRow(act, w1t, data.n()[b] * n, (p + data.m()[b]) * n, dz, i * n, gw1t, n);
                }
            }
            if (first) {
                java.util.Arrays.fill(gw2, 0.0f);
            } else {
                gw2b.get(0, gw2);
            }
        }

        void evaluate(Dataset data, int[] rows, int from, int to, float[] w1t, FloatBuffer w2) {
            int n = shape.width();
            int p = shape.p();
            lossSum = 0.0;
            correct = 0;
            for (int t0 = from; t0 < to; t0 += tileRows) {
                int rowsInTile = Math.min(tileRows, to - t0);
                forwardTile(data, rows, t0, rowsInTile, w1t, w2, shape.activation(), n, p, shape.readoutScale());
                for (int i = 0; i < rowsInTile; i++) {
                    int label = data.q()[rows[t0 + i]];
                    if (Losses.argmax(out, i * p, p) == label) {
                        correct++;
                    }
                    lossSum += Losses.rowLoss(shape.loss(), out, i * p, label, p, 1, null, 0);
                }
            }
        }

        /** Z = φ(gather) into zb, then out (T,P) = s·Z·W2ᵀ, copied to the heap for the loss. */
        private void forwardTile(Dataset data, int[] rows, int t0, int rowsInTile, float[] w1t, FloatBuffer w2,
                                 Activation act, int n, int p, float s) {
            for (int i = 0; i < rowsInTile; i++) {
                int b = rows[t0 + i];
                Activations.forwardRow(act, w1t, data.n()[b] * n, (p + data.m()[b]) * n, z, i * n, n);
            }
            zb.put(0, z, 0, rowsInTile * n);
            Blas.sgemm(false, true, rowsInTile, p, n, s, zb, n, w2, n, 0.0f, outb, p);
            outb.get(0, out, 0, rowsInTile * p);
        }
    }
}
