package org.grokscope.compute.backend;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>W1 (transposed) and its gradients are held as one array per embedding row, so the row loops
 * index from 0 and vectorise; {@link #weights()} flattens them back. A full-batch step walks the
 * training pairs sorted by their first token: consecutive samples then share their first
 * embedding row, which stays in L1 cache, and its gradient is summed in a row-sized buffer and
 * added to the lane's gradient once per token instead of once per sample.
 */
final class CpuEngine implements TrainingEngine {
    private final ModelShape shape;
    private final Optimizer optimizer;
    private final Dataset train;
    private final int[] allRows;
    private final int threads;
    private final WorkerGang gang;
    private final Lane[] lanes;
    // one per worker thread: a lane borrows the scratch of the worker that runs it, so a thread
    // reuses the same tile buffers (warm in its cache) whichever lane it takes
    private final Scratch[] scratch;

    // w1 and g1 are (2p) rows of N. W2, its gradient and its optimizer state are held transposed,
    // (N,P) row-major: OpenBLAS computes dW2ᵀ = Zᵀ·R 5-10% faster than dW2 = Rᵀ·Z on these shapes
    // and the other two GEMMs run as fast either way; weights() and the checkpoints use (P,N).
    private final float[][] w1;
    private final float[] w2;
    private final FloatBuffer w2buf;
    private final float[][] g1;
    private final float[] g2;
    private float[][] first1;
    private float[][] second1;
    private float[] first2;
    private float[] second2;
    private long step;

    CpuEngine(ComputeSettings settings, Weights initial, Optimizer optimizer, Dataset train) {
        this.shape = initial.shape();
        this.optimizer = optimizer;
        this.train = train;
        this.allRows = sortedByTokens(train);
        this.threads = settings.threads();
        this.gang = new WorkerGang(threads, TimeUnit.MICROSECONDS.toNanos(settings.spinMicros()), "grokscope-cpu");
        this.lanes = new Lane[settings.lanes()];
        for (int l = 0; l < lanes.length; l++) {
            lanes[l] = new Lane(shape, settings.tileRows());
        }
        this.scratch = new Scratch[threads];
        for (int t = 0; t < threads; t++) {
            scratch[t] = new Scratch(shape, settings.tileRows());
        }
        int rows = shape.inputs();
        int n = shape.width();
        this.w1 = new float[rows][n];
        this.g1 = new float[rows][n];
        this.w2 = new float[shape.w2Size()];
        this.w2buf = Blas.allocate(w2.length);
        this.g2 = new float[w2.length];
        restore(initial, OptimizerState.zero(shape.w1Size(), shape.w2Size()));
    }

    @Override
    public BatchStats computeGradients(int[] rows) {
        return forwardBackward(rows, null);
    }

    /** Sums the lane gradients and updates each slice of the weights in the same pass. */
    @Override
    public BatchStats step(int[] rows) {
        Optimizer.StepConstants c = optimizer.constants(step + 1);
        BatchStats stats = forwardBackward(rows, c);
        step++;
        return stats;
    }

    /**
     * Runs the lanes, then reduces their gradients row by row; with {@code update} not null each
     * reduced slice is also stepped by the optimizer while it is still in cache.
     */
    private BatchStats forwardBackward(int[] rows, Optimizer.StepConstants update) {
        int[] r = rows == null ? allRows : rows;
        w2buf.put(0, w2);
        runLanes(r.length, (lane, from, to) -> lane.train(train, r, from, to, r.length, w1, w2buf));
        List<Runnable> reduce = new ArrayList<>();
        for (int[] range : split(w1.length)) {
            reduce.add(() -> {
                for (int row = range[0]; row < range[1]; row++) {
                    float[] target = g1[row];
                    System.arraycopy(lanes[0].g1[row], 0, target, 0, target.length);
                    for (int l = 1; l < lanes.length; l++) {
                        add(target, lanes[l].g1[row], 0, target.length);
                    }
                    if (update != null) {
                        optimizer.update(update, w1[row], target, first1[row], second1[row], 0, target.length);
                    }
                }
            });
        }
        for (int[] range : split(w2.length)) {
            reduce.add(() -> {
                System.arraycopy(lanes[0].g2, range[0], g2, range[0], range[1] - range[0]);
                for (int l = 1; l < lanes.length; l++) {
                    add(g2, lanes[l].g2, range[0], range[1]);
                }
                if (update != null) {
                    optimizer.update(update, w2, g2, first2, second2, range[0], range[1]);
                }
            });
        }
        invokeAll(reduce);
        return collect(r.length);
    }

    private static void add(float[] target, float[] src, int from, int to) {
        for (int i = from; i < to; i++) {
            target[i] += src[i];
        }
    }

    /**
     * Only the sgemm calls of a full-batch step (same lanes, tiles and threads), on scratch
     * buffers that the next step overwrites before reading: the cost of the step if everything but
     * its GEMMs were free. Weights, gradients and optimizer state are not touched.
     */
    void gemmsOnly() {
        w2buf.put(0, w2);
        runLanes(allRows.length, (lane, from, to) -> lane.gemmsOnly(from, to, w2buf));
    }

    @Override
    public BatchStats evaluate(Dataset data) {
        int[] rows = identity(data.size());
        w2buf.put(0, w2);
        runLanes(rows.length, (lane, from, to) -> lane.evaluate(data, rows, from, to, w1, w2buf));
        return collect(rows.length);
    }

    @Override
    public void applyUpdate() {
        long t = step + 1;
        Optimizer.StepConstants c = optimizer.constants(t);
        List<Runnable> tasks = new ArrayList<>();
        for (int[] range : split(w1.length)) {
            tasks.add(() -> {
                for (int row = range[0]; row < range[1]; row++) {
                    optimizer.update(c, w1[row], g1[row], first1[row], second1[row], 0, w1[row].length);
                }
            });
        }
        for (int[] range : split(w2.length)) {
            tasks.add(() -> optimizer.update(c, w2, g2, first2, second2, range[0], range[1]));
        }
        invokeAll(tasks);
        step = t;
    }

    @Override
    public Weights weights() {
        return new Weights(shape, flatten(w1), toPaperLayout(w2));
    }

    @Override
    public float[] gradW1t() {
        return flatten(g1);
    }

    @Override
    public float[] gradW2() {
        return toPaperLayout(g2);
    }

    @Override
    public double[] weightNorms() {
        return new double[] {Norms.frobenius(w1), Norms.frobenius(w2)};
    }

    @Override
    public double[] gradientNorms() {
        return new double[] {Norms.frobenius(g1), Norms.frobenius(g2)};
    }

    @Override
    public OptimizerState optimizerState() {
        return new OptimizerState(step, flatten(first1), flatten(second1), toPaperLayout(first2), toPaperLayout(second2));
    }

    @Override
    public void restore(Weights weights, OptimizerState state) {
        unflatten(weights.w1t(), w1);
        System.arraycopy(fromPaperLayout(weights.w2()), 0, w2, 0, w2.length);
        first1 = unflatten(state.first1(), new float[w1.length][shape.width()]);
        second1 = unflatten(state.second1(), new float[w1.length][shape.width()]);
        first2 = fromPaperLayout(state.first2());
        second2 = fromPaperLayout(state.second2());
        step = state.step();
    }

    @Override
    public void close() {
        gang.close();
    }

    /** A W2-shaped array held here as (N,P), in the (P,N) layout the rest of Grokscope uses. */
    private float[] toPaperLayout(float[] nByP) {
        return Weights.transpose(nByP, shape.width(), shape.p());
    }

    /** A (P,N) W2-shaped array in the engine's (N,P) layout. */
    private float[] fromPaperLayout(float[] pByN) {
        return Weights.transpose(pByN, shape.p(), shape.width());
    }

    private static float[] flatten(float[][] rows) {
        int n = rows[0].length;
        float[] flat = new float[rows.length * n];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * n, n);
        }
        return flat;
    }

    private static float[][] unflatten(float[] flat, float[][] rows) {
        int n = rows[0].length;
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(flat, r * n, rows[r], 0, n);
        }
        return rows;
    }

    /** The training set's row indices ordered by (first token, second token). */
    static int[] sortedByTokens(Dataset data) {
        Integer[] order = new Integer[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> data.n()[i]).thenComparingInt(i -> data.m()[i]));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    private static int[] identity(int size) {
        int[] rows = new int[size];
        for (int i = 0; i < size; i++) {
            rows[i] = i;
        }
        return rows;
    }

    private interface LaneWork {
        void run(Lane lane, int from, int to);
    }

    /** Lane l takes rows [l·B/L, (l+1)·B/L): a fixed partition whatever the thread count. */
    private void runLanes(int batch, LaneWork work) {
        gang.run(lanes.length, (l, worker) -> {
            lanes[l].use(scratch[worker]);
            work.run(lanes[l], (int) ((long) batch * l / lanes.length), (int) ((long) batch * (l + 1) / lanes.length));
        });
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

    /** Index ranges for the elementwise passes: one per thread. */
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

    private void invokeAll(List<Runnable> tasks) {
        gang.run(tasks.size(), (i, worker) -> tasks.get(i).run());
    }

    /** One worker's tile buffers; nothing in them outlives the lane that borrows them. */
    private static final class Scratch {
        final float[] row;
        // gradient of the current first-token row, summed over its consecutive samples
        final float[] firstRowGrad;
        final int[] labels;
        final float[] classSums;
        final float[] out;
        final FloatBuffer zb;
        final FloatBuffer dzb;
        final FloatBuffer outb;

        Scratch(ModelShape shape, int tileRows) {
            int n = shape.width();
            int p = shape.p();
            row = new float[n];
            firstRowGrad = new float[n];
            labels = new int[tileRows];
            classSums = new float[p];
            out = new float[tileRows * p];
            zb = Blas.allocate(tileRows * n);
            dzb = Blas.allocate(tileRows * n);
            outb = Blas.allocate(tileRows * p);
        }
    }

    /** Per-lane accumulators; touched by one thread at a time, through that thread's scratch. */
    private static final class Lane {
        private final ModelShape shape;
        private final int tileRows;
        private final FloatBuffer g2b;
        final float[][] g1;
        final float[] g2;   // this lane's dW2ᵀ, (N,P)
        double lossSum;
        long correct;
        // the scratch of the worker running this lane now (see use)
        private Scratch buf;

        Lane(ModelShape shape, int tileRows) {
            this.shape = shape;
            this.tileRows = tileRows;
            g2b = Blas.allocate(shape.p() * shape.width());
            g1 = new float[shape.inputs()][shape.width()];
            g2 = new float[shape.w2Size()];
        }

        /** Takes the buffers of the worker about to run this lane. */
        void use(Scratch scratch) {
            buf = scratch;
        }

        // w1 is (2p) rows of N, w2t is (N,P); a tile's z and dz are (T,N), out and the residual (T,P)
        void train(Dataset data, int[] rows, int from, int to, int batch, float[][] w1, FloatBuffer w2t) {
            int n = shape.width();
            int p = shape.p();
            Activation act = shape.activation();
            for (float[] g : g1) {
                Arrays.fill(g, 0.0f);
            }
            Arrays.fill(buf.firstRowGrad, 0.0f);
            lossSum = 0.0;
            correct = 0;
            boolean first = true;
            int firstRow = -1;
            for (int t0 = from; t0 < to; t0 += tileRows) {
                int tile = Math.min(tileRows, to - t0);
                forwardTile(data, rows, t0, tile, w1, w2t);
                for (int i = 0; i < tile; i++) {
                    buf.labels[i] = data.q()[rows[t0 + i]];
                    if (Losses.isArgmax(buf.out, i * p, p, buf.labels[i])) {
                        correct++;
                    }
                }
                if (shape.loss() == LossKind.MSE) {
                    lossSum += Losses.mseTile(buf.out, tile, buf.labels, p, batch, buf.classSums);
                } else {
                    for (int i = 0; i < tile; i++) {
                        lossSum += Losses.rowLoss(shape.loss(), buf.out, i * p, buf.labels[i], p, batch,
                                buf.out, i * p);
                    }
                }
                buf.outb.put(0, buf.out, 0, tile * p);
                backwardGemms(tile, w2t, first);
                first = false;
                for (int i = 0; i < tile; i++) {
                    int b = rows[t0 + i];
                    int r1 = data.n()[b];
                    int r2 = p + data.m()[b];
                    if (r1 != firstRow) {
                        flushFirstRow(firstRow);
                        firstRow = r1;
                    }
                    buf.dzb.get(i * n, buf.row);
                    Activations.backwardRow(act, w1[r1], w1[r2], buf.row, buf.firstRowGrad, g1[r2], n);
                }
            }
            flushFirstRow(firstRow);
            if (first) {
                Arrays.fill(g2, 0.0f);
            } else {
                g2b.get(0, g2);
            }
        }

        /** Adds the summed gradient of first-token row r (if any) to the lane's W1 gradient. */
        private void flushFirstRow(int r) {
            if (r < 0) {
                return;
            }
            float[] target = g1[r];
            for (int k = 0; k < target.length; k++) {
                target[k] += buf.firstRowGrad[k];
            }
            Arrays.fill(buf.firstRowGrad, 0.0f);
        }

        void evaluate(Dataset data, int[] rows, int from, int to, float[][] w1, FloatBuffer w2t) {
            int p = shape.p();
            lossSum = 0.0;
            correct = 0;
            for (int t0 = from; t0 < to; t0 += tileRows) {
                int tile = Math.min(tileRows, to - t0);
                forwardTile(data, rows, t0, tile, w1, w2t);
                for (int i = 0; i < tile; i++) {
                    int label = data.q()[rows[t0 + i]];
                    if (Losses.isArgmax(buf.out, i * p, p, label)) {
                        correct++;
                    }
                    lossSum += Losses.rowLoss(shape.loss(), buf.out, i * p, label, p, 1, null, 0);
                }
            }
        }

        /** Z = φ(gather) into zb row by row, then out (T,P) = s·Z·W2ᵀ (w2t is W2ᵀ), copied to the heap for the loss. */
        private void forwardTile(Dataset data, int[] rows, int t0, int tile, float[][] w1, FloatBuffer w2t) {
            int n = shape.width();
            int p = shape.p();
            for (int i = 0; i < tile; i++) {
                int b = rows[t0 + i];
                Activations.forwardRow(shape.activation(), w1[data.n()[b]], w1[p + data.m()[b]], buf.row, n);
                buf.zb.put(i * n, buf.row);
            }
            logitsGemm(tile, w2t);
            buf.outb.get(0, buf.out, 0, tile * p);
        }

        // zb is (T,N), w2t (N,P), outb (T,P)
        private void logitsGemm(int tile, FloatBuffer w2t) {
            int n = shape.width();
            int p = shape.p();
            Blas.sgemm(false, false, tile, p, n, shape.readoutScale(), buf.zb, n, w2t, p, 0.0f, buf.outb, p);
        }

        // outb holds the residual R (T,P); dzb gets dZ (T,N); g2b (N,P) is set (first) or added to
        private void backwardGemms(int tile, FloatBuffer w2t, boolean first) {
            int n = shape.width();
            int p = shape.p();
            float s = shape.readoutScale();
            // dZ (T,N) = s·R (T,P)·W2 (P,N), with W2 as w2tᵀ
            Blas.sgemm(false, true, tile, n, p, s, buf.outb, p, w2t, p, 0.0f, buf.dzb, n);
            // dW2ᵀ (N,P) += s·Zᵀ (N,T)·R (T,P)
            Blas.sgemm(true, false, n, p, tile, s, buf.zb, n, buf.outb, p, first ? 0.0f : 1.0f, g2b, p);
        }

        /** The three sgemm calls of train() over the same tiles, on whatever the buffers hold. */
        void gemmsOnly(int from, int to, FloatBuffer w2t) {
            for (int t0 = from; t0 < to; t0 += tileRows) {
                int tile = Math.min(tileRows, to - t0);
                logitsGemm(tile, w2t);
                backwardGemms(tile, w2t, t0 == from);
            }
        }
    }
}
