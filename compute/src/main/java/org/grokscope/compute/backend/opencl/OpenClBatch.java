package org.grokscope.compute.backend.opencl;

import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.grokscope.compute.backend.BatchStats;
import org.grokscope.compute.backend.TrainingBatch;
import org.grokscope.compute.backend.TrainingEngine;
import org.grokscope.compute.model.Losses;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.Optimizer;
import org.grokscope.compute.optim.OptimizerState;
import org.grokscope.compute.task.Dataset;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.LossKind;
import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.OptimizerSpec;

/**
 * R training runs of the same shape stepped together on one OpenCL device: every stage of the
 * step is one kernel launch for all runs, so a sweep of seeds, α, learning rates or weight decays
 * fills a GPU. Runs may differ in initial weights, training set (and its size), optimizer
 * hyper-parameters and even optimizer kind; they share p, N, activation, parametrization and loss.
 *
 * <p>Weights, gradients and optimizer state live on the device from {@link #open} to
 * {@link #close}; the host reads them back only for checkpoints ({@link #weights},
 * {@link #optimizerState}, the gradients) and moves metrics (loss sums, hit counts, per-row norm
 * partials) and per-step optimizer scalars. Driving it from an actor: {@link #step()} steps all runs,
 * {@link #evaluate} gives per-run test stats, {@link #engine(int)} is a {@link TrainingEngine} view
 * of one run for checkpoints and restores. Not thread-safe: one owner at a time.
 */
public final class OpenClBatch implements TrainingBatch {

    /** One run of a batch: its starting weights, its optimizer and its training set. */
    public record Member(Weights initial, Optimizer optimizer, Dataset train) {
        public Member {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(optimizer, "optimizer");
            Objects.requireNonNull(train, "train");
        }
    }

    private final OpenCLDevice device;
    private final boolean tiled;
    private final StepKernel k;
    private final ModelShape shape;
    private final int runs;
    private final int classes;
    private final int inputs;
    private final int width;
    private final int tile;
    private final int localSize;
    private final Optimizer[] optimizers;
    private final Dataset[] train;
    private final long[] steps;
    private final int trainCapacity;
    private final Map<String, String> stageDevices = new LinkedHashMap<>();

    private int trainRowsPadded;
    private int[][] trainSelection;
    private boolean trainLaidOut;
    private Dataset[] evalData;
    private int evalRowsPadded;
    private boolean hostWeightsFresh = true;
    private boolean hostGradsFresh = true;
    private boolean hostStateFresh = true;
    private boolean closed;

    private OpenClBatch(OpenClSettings settings, OpenCLDevice device, List<Member> members, StepKernel kernel) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one run");
        }
        this.device = device;
        this.shape = members.get(0).initial().shape();
        for (Member member : members) {
            if (!member.initial().shape().equals(shape)) {
                throw new IllegalArgumentException("runs of a batch must share their shape: " + shape + " vs "
                        + member.initial().shape());
            }
            if (member.train().p() != shape.p()) {
                throw new IllegalArgumentException("training set of p=" + member.train().p() + " for a model of p="
                        + shape.p());
            }
        }
        this.tiled = settings.gemm() == OpenClSettings.Gemm.TILED
                || settings.gemm() == OpenClSettings.Gemm.AUTO && device.getType() == Device.TYPE.GPU;
        this.runs = members.size();
        this.classes = shape.p();
        this.inputs = shape.inputs();
        this.width = shape.width();
        this.tile = settings.tile();
        this.localSize = settings.localSize();
        this.optimizers = new Optimizer[runs];
        this.train = new Dataset[runs];
        this.steps = new long[runs];
        int capacity = 0;
        int evalCapacity = 0;
        for (int r = 0; r < runs; r++) {
            optimizers[r] = members.get(r).optimizer();
            train[r] = members.get(r).train();
            capacity += pad(train[r].size());
            // the usual evaluation set is the rest of the p² pairs; larger ones grow the buffers
            evalCapacity += pad(Math.max(0, classes * classes - train[r].size()));
        }
        this.trainCapacity = capacity;
        this.k = kernel != null ? kernel : tiled ? new TiledStepKernel() : new StepKernel();
        if (tiled && !(k instanceof TiledStepKernel)) {
            throw new IllegalArgumentException("tiled GEMMs need a TiledStepKernel");
        }
        allocate(k, evalCapacity);
        for (int r = 0; r < runs; r++) {
            writeWeights(r, members.get(r).initial());
            writeState(r, OptimizerState.zero(shape.w1Size(), shape.w2Size()));
        }
        layoutTrain(new int[runs][]);
        OpenClDevices.compile(k, device);
        k.setExplicit(true);
        putAll();
    }

    /** A batch on the device the settings select. */
    public static OpenClBatch open(OpenClSettings settings, List<Member> members) {
        return open(settings, OpenClDevices.select(settings), members);
    }

    public static OpenClBatch open(OpenClSettings settings, OpenCLDevice device, List<Member> members) {
        return new OpenClBatch(settings, device, members, null);
    }

    /** With a given kernel object: tests pass a deliberately broken one. */
    static OpenClBatch open(OpenClSettings settings, OpenCLDevice device, List<Member> members, StepKernel kernel) {
        return new OpenClBatch(settings, device, members, kernel);
    }

    public int size() {
        return runs;
    }

    public ModelShape shape() {
        return shape;
    }

    /** Device and GEMM variant, one line. */
    public String device() {
        return OpenClDevices.describe(device) + ", " + (tiled ? "tiled" : "simple") + " GEMMs";
    }

    /** Which device each kernel stage actually ran on, as verified after its launches. */
    public String deviceReport() {
        Map<String, List<String>> byDevice = new LinkedHashMap<>();
        stageDevices.forEach((stage, dev) -> byDevice.computeIfAbsent(dev, d -> new ArrayList<>()).add(stage));
        StringBuilder sb = new StringBuilder();
        byDevice.forEach((dev, stages) -> {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(String.join(", ", stages)).append(" ran on ").append(dev);
        });
        return sb.length() == 0 ? "no kernel has run yet" : sb.toString();
    }

    public boolean tiled() {
        return tiled;
    }

    /** One full-batch step of every run; per-run loss and accuracy before the update. */
    public BatchStats[] step() {
        BatchStats[] stats = computeGradients(new int[runs][]);
        applyUpdate();
        return stats;
    }

    /**
     * Forward and backward of every run over the given rows of its training set ({@code rows[r]}
     * null: all rows, in order; empty: the run sits this step out with zero gradients).
     */
    public BatchStats[] computeGradients(int[][] rows) {
        checkOpen();
        if (rows.length != runs) {
            throw new IllegalArgumentException("rows for " + rows.length + " runs, batch has " + runs);
        }
        if (!trainLaidOut || !Arrays.deepEquals(rows, trainSelection)) {
            layoutTrain(rows);
            k.put(k.tok1).put(k.tok2).put(k.label).put(k.run).put(k.runInfo).put(k.csrStart).put(k.csrRows);
        }
        int rowsPadded = trainRowsPadded;
        k.phase = 0;
        k.base = 0;
        if (rowsPadded > 0) {
            forward(rowsPadded, 1);
            if (tiled) {
                launch2d("grad-w2", StepKernel.GRAD_W2_TILED, pad(width), runs * pad(classes));
                launch2d("grad-z", StepKernel.GRAD_Z_TILED, pad(width), rowsPadded);
            } else {
                int blocks = (classes + StepKernel.Q_BLOCK - 1) / StepKernel.Q_BLOCK;
                launch("grad-w2", StepKernel.GRAD_W2, runs * blocks * width);
                launch("grad-z", StepKernel.GRAD_Z, rowsPadded / StepKernel.ROW_BLOCK * width);
            }
            launch("scatter-w1", StepKernel.SCATTER_W1, runs * inputs * width);
            hostGradsFresh = false;
        } else {
            // no rows in any run: zero gradients; reduce still writes the empty stats
            launch("reduce", StepKernel.REDUCE, runs);
            Arrays.fill(k.g, 0.0f);
            k.put(k.g);
            hostGradsFresh = true;
        }
        return stats(0);
    }

    /** One optimizer step of every run with the kept gradients. */
    public void applyUpdate() {
        checkOpen();
        for (int r = 0; r < runs; r++) {
            Optimizer.StepConstants c = optimizers[r].constants(steps[r] + 1);
            int h = r * StepKernel.HP;
            k.hp[h + StepKernel.HP_LR] = c.lr();
            k.hp[h + StepKernel.HP_WD] = c.weightDecay();
            k.hp[h + StepKernel.HP_MOMENTUM] = c.momentum();
            k.hp[h + StepKernel.HP_NESTEROV] = optimizers[r].spec().nesterov() ? 1.0f : 0.0f;
            k.hp[h + StepKernel.HP_BETA1] = c.beta1();
            k.hp[h + StepKernel.HP_BETA2] = c.beta2();
            k.hp[h + StepKernel.HP_EPS] = c.eps();
            k.hp[h + StepKernel.HP_STEP_SIZE] = c.stepSize();
            k.hp[h + StepKernel.HP_BC2_SQRT] = c.bc2Sqrt();
            k.hp[h + StepKernel.HP_DECAY] = c.decayFactor();
        }
        k.put(k.hp);
        launch("update", StepKernel.UPDATE, runs * (inputs + classes) * width);
        for (int r = 0; r < runs; r++) {
            steps[r]++;
        }
        hostWeightsFresh = false;
        hostStateFresh = false;
    }

    /** Forward only, run r over {@code data[r]} (null: the run is not evaluated, stats of 0 rows). */
    public BatchStats[] evaluate(Dataset[] data) {
        checkOpen();
        if (data.length != runs) {
            throw new IllegalArgumentException("datasets for " + data.length + " runs, batch has " + runs);
        }
        if (evalData == null || !sameDatasets(data, evalData)) {
            layoutEval(data);
            k.put(k.tok1).put(k.tok2).put(k.label).put(k.run).put(k.runInfo);
        }
        k.phase = 1;
        k.base = trainCapacity;
        if (evalRowsPadded > 0) {
            forward(evalRowsPadded, 0);
        } else {
            launch("reduce", StepKernel.REDUCE, runs);
        }
        return stats(1);
    }

    /** Gather, logits, loss (and residual when asked), per-run reduction of the phase set up in k. */
    private void forward(int rowsPadded, int residual) {
        launch("gather", StepKernel.GATHER, rowsPadded * width);
        if (tiled) {
            launch2d("logits", StepKernel.LOGITS_TILED, pad(classes), rowsPadded);
        } else {
            launch("transpose-w2", StepKernel.TRANSPOSE_W2, runs * classes * width);
            launch("logits", StepKernel.LOGITS, rowsPadded / StepKernel.ROW_BLOCK * classes);
        }
        k.residual = residual;
        launch("loss", StepKernel.LOSS, rowsPadded);
        launch("reduce", StepKernel.REDUCE, runs);
    }

    private BatchStats[] stats(int phase) {
        k.get(k.statLoss);
        k.get(k.statHits);
        BatchStats[] stats = new BatchStats[runs];
        for (int r = 0; r < runs; r++) {
            int n = k.runInfo[r * 6 + phase * 3 + 2];
            stats[r] = new BatchStats(Losses.normalise(shape.loss(), k.statLoss[r], n, classes),
                    n == 0 ? 0.0 : (double) k.statHits[r] / n, n);
        }
        return stats;
    }

    public Weights weights(int r) {
        fetchWeights();
        return new Weights(shape, slice(k.w, w1Offset(r), shape.w1Size()), slice(k.w, w2Offset(r), shape.w2Size()));
    }

    public float[] gradW1t(int r) {
        fetchGrads();
        return slice(k.g, w1Offset(r), shape.w1Size());
    }

    public float[] gradW2(int r) {
        fetchGrads();
        return slice(k.g, w2Offset(r), shape.w2Size());
    }

    /** Frobenius norms of every run: W1, W2, grad W1, grad W2; row partials in float, summed in double. */
    public double[][] norms() {
        checkOpen();
        launch("norms", StepKernel.NORMS, runs * (inputs + classes));
        k.get(k.normPart);
        double[][] norms = new double[runs][4];
        for (int r = 0; r < runs; r++) {
            double[] sums = new double[4];
            for (int row = r * inputs; row < (r + 1) * inputs; row++) {
                sums[0] += k.normPart[2 * row];
                sums[2] += k.normPart[2 * row + 1];
            }
            for (int row = runs * inputs + r * classes; row < runs * inputs + (r + 1) * classes; row++) {
                sums[1] += k.normPart[2 * row];
                sums[3] += k.normPart[2 * row + 1];
            }
            for (int j = 0; j < 4; j++) {
                norms[r][j] = Math.sqrt(sums[j]);
            }
        }
        return norms;
    }

    public long step(int r) {
        return steps[r];
    }

    public OptimizerState optimizerState(int r) {
        fetchState();
        return new OptimizerState(steps[r], slice(k.m, w1Offset(r), shape.w1Size()),
                slice(k.v, w1Offset(r), shape.w1Size()), slice(k.m, w2Offset(r), shape.w2Size()),
                slice(k.v, w2Offset(r), shape.w2Size()));
    }

    /** Replaces run r's weights and optimizer state (resume from a checkpoint); the others keep theirs. */
    public void restore(int r, Weights weights, OptimizerState state) {
        checkOpen();
        if (!weights.shape().equals(shape)) {
            throw new IllegalArgumentException("checkpoint of shape " + weights.shape() + " for a run of " + shape);
        }
        fetchWeights();
        fetchState();
        writeWeights(r, weights);
        writeState(r, state);
        k.put(k.w).put(k.m).put(k.v);
    }

    /** The run r as a {@link TrainingEngine}; stepping through it needs a batch of one run. */
    public TrainingEngine engine(int r) {
        return new OpenClEngine(this, r, false);
    }

    @Override
    public TrainingEngine member(int r) {
        return engine(r);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            k.dispose();
        }
    }

    // ---- host side of the layout

    private void allocate(StepKernel kernel, int evalCapacity) {
        kernel.runs = runs;
        kernel.classes = classes;
        kernel.inputs = inputs;
        kernel.width = width;
        kernel.w2Base = runs * inputs * width;
        kernel.tile = tile;
        kernel.activation = activationCode(shape.activation());
        kernel.lossKind = shape.loss() == LossKind.MSE ? 0 : 1;
        kernel.scale = shape.readoutScale();
        int params = Math.multiplyExact(runs * (inputs + classes), width);
        kernel.w = new float[params];
        kernel.g = new float[params];
        kernel.m = new float[params];
        kernel.v = new float[params];
        kernel.hp = new float[runs * StepKernel.HP];
        kernel.optKind = new int[runs];
        for (int r = 0; r < runs; r++) {
            OptimizerSpec spec = optimizers[r].spec();
            kernel.optKind[r] = spec.kind() == OptimizerKind.ADAMW ? StepKernel.OPT_ADAMW
                    : spec.momentum() == 0.0 ? StepKernel.OPT_SGD : StepKernel.OPT_SGD_MOMENTUM;
        }
        kernel.runInfo = new int[runs * 6];
        kernel.csrStart = new int[runs * inputs + 1];
        kernel.csrRows = new int[Math.max(1, 2 * trainCapacity)];
        kernel.statLoss = new float[runs];
        kernel.statHits = new int[runs];
        kernel.normPart = new float[2 * runs * (inputs + classes)];
        kernel.w2t = new float[runs * classes * width];
        if (kernel instanceof TiledStepKernel t) {
            t.tileA = new float[tile * (tile + 1)];
            t.tileB = new float[tile * (tile + 1)];
        }
        allocateSamples(kernel, evalCapacity);
    }

    /** Sample arrays for the train blocks plus {@code evalCapacity} rows; z and out for the larger phase. */
    private void allocateSamples(StepKernel kernel, int evalCapacity) {
        int samples = Math.max(1, trainCapacity + evalCapacity);
        int[][] old = {kernel.tok1, kernel.tok2, kernel.label, kernel.run};
        kernel.tok1 = new int[samples];
        kernel.tok2 = new int[samples];
        kernel.label = new int[samples];
        kernel.run = new int[samples];
        if (old[0] != null) {
            System.arraycopy(old[0], 0, kernel.tok1, 0, trainCapacity);
            System.arraycopy(old[1], 0, kernel.tok2, 0, trainCapacity);
            System.arraycopy(old[2], 0, kernel.label, 0, trainCapacity);
            System.arraycopy(old[3], 0, kernel.run, 0, trainCapacity);
        }
        int rows = Math.max(1, Math.max(trainCapacity, evalCapacity));
        kernel.z = new float[Math.multiplyExact(rows, width)];
        kernel.out = new float[Math.multiplyExact(rows, classes)];
        kernel.rowLoss = new float[rows];
        kernel.rowHit = new int[rows];
    }

    private int evalCapacity() {
        return k.tok1.length - trainCapacity;
    }

    /** Packs the selected rows of each run into padded blocks from sample 0 and builds the CSR lists. */
    private void layoutTrain(int[][] rows) {
        int s = 0;
        int needed = 0;
        for (int r = 0; r < runs; r++) {
            needed += pad(rows[r] == null ? train[r].size() : rows[r].length);
        }
        if (needed > trainCapacity) {
            // checked before anything is written: the rows past trainCapacity are the evaluation block
            throw new IllegalArgumentException("more rows selected than the training sets hold");
        }
        int[] counts = new int[runs * inputs];
        for (int r = 0; r < runs; r++) {
            int[] sel = rows[r];
            int count = sel == null ? train[r].size() : sel.length;
            int padded = pad(count);
            k.runInfo[r * 6] = s;
            k.runInfo[r * 6 + 1] = padded;
            k.runInfo[r * 6 + 2] = count;
            for (int i = 0; i < padded; i++, s++) {
                k.run[s] = r;
                if (i < count) {
                    int row = sel == null ? i : sel[i];
                    k.tok1[s] = train[r].n()[row];
                    k.tok2[s] = classes + train[r].m()[row];
                    k.label[s] = train[r].q()[row];
                    counts[r * inputs + k.tok1[s]]++;
                    counts[r * inputs + k.tok2[s]]++;
                } else {
                    k.tok1[s] = 0;
                    k.tok2[s] = classes;
                    k.label[s] = -1;
                }
            }
        }
        trainRowsPadded = s;
        k.csrStart[0] = 0;
        for (int rj = 0; rj < runs * inputs; rj++) {
            k.csrStart[rj + 1] = k.csrStart[rj] + counts[rj];
        }
        int[] fill = Arrays.copyOf(k.csrStart, runs * inputs);
        for (int t = 0; t < s; t++) {
            if (k.label[t] >= 0) {
                int r = k.run[t];
                k.csrRows[fill[r * inputs + k.tok1[t]]++] = t;
                k.csrRows[fill[r * inputs + k.tok2[t]]++] = t;
            }
        }
        trainSelection = new int[runs][];
        for (int r = 0; r < runs; r++) {
            trainSelection[r] = rows[r] == null ? null : rows[r].clone();
        }
        trainLaidOut = true;
    }

    private void layoutEval(Dataset[] data) {
        int needed = 0;
        for (Dataset d : data) {
            if (d != null) {
                if (d.p() != classes) {
                    throw new IllegalArgumentException("evaluation set of p=" + d.p() + " for a model of p=" + classes);
                }
                needed += pad(d.size());
            }
        }
        if (needed > evalCapacity()) {
            allocateSamples(k, needed);
            // new array objects: Aparapi makes new device buffers for them at the next launch
            k.put(k.z).put(k.out).put(k.rowLoss).put(k.rowHit);
        }
        int s = trainCapacity;
        for (int r = 0; r < runs; r++) {
            Dataset d = data[r];
            int count = d == null ? 0 : d.size();
            int padded = pad(count);
            k.runInfo[r * 6 + 3] = s;
            k.runInfo[r * 6 + 4] = padded;
            k.runInfo[r * 6 + 5] = count;
            for (int i = 0; i < padded; i++, s++) {
                k.run[s] = r;
                if (i < count) {
                    k.tok1[s] = d.n()[i];
                    k.tok2[s] = classes + d.m()[i];
                    k.label[s] = d.q()[i];
                } else {
                    k.tok1[s] = 0;
                    k.tok2[s] = classes;
                    k.label[s] = -1;
                }
            }
        }
        evalRowsPadded = s - trainCapacity;
        evalData = data.clone();
    }

    private static boolean sameDatasets(Dataset[] a, Dataset[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    private void putAll() {
        k.put(k.w).put(k.g).put(k.m).put(k.v).put(k.hp).put(k.optKind).put(k.runInfo).put(k.csrStart)
                .put(k.csrRows).put(k.tok1).put(k.tok2).put(k.label).put(k.run).put(k.z).put(k.out)
                .put(k.rowLoss).put(k.rowHit).put(k.statLoss).put(k.statHits).put(k.normPart).put(k.w2t);
    }

    private void writeWeights(int r, Weights weights) {
        System.arraycopy(weights.w1t(), 0, k.w, w1Offset(r), shape.w1Size());
        System.arraycopy(weights.w2(), 0, k.w, w2Offset(r), shape.w2Size());
    }

    private void writeState(int r, OptimizerState state) {
        System.arraycopy(state.first1(), 0, k.m, w1Offset(r), shape.w1Size());
        System.arraycopy(state.second1(), 0, k.v, w1Offset(r), shape.w1Size());
        System.arraycopy(state.first2(), 0, k.m, w2Offset(r), shape.w2Size());
        System.arraycopy(state.second2(), 0, k.v, w2Offset(r), shape.w2Size());
        steps[r] = state.step();
    }

    private void fetchWeights() {
        checkOpen();
        if (!hostWeightsFresh) {
            k.get(k.w);
            hostWeightsFresh = true;
        }
    }

    private void fetchGrads() {
        checkOpen();
        if (!hostGradsFresh) {
            k.get(k.g);
            hostGradsFresh = true;
        }
    }

    private void fetchState() {
        checkOpen();
        if (!hostStateFresh) {
            k.get(k.m);
            k.get(k.v);
            hostStateFresh = true;
        }
    }

    private int w1Offset(int r) {
        return r * shape.w1Size();
    }

    private int w2Offset(int r) {
        return runs * shape.w1Size() + r * shape.w2Size();
    }

    private static float[] slice(float[] a, int from, int length) {
        return Arrays.copyOfRange(a, from, from + length);
    }

    private int pad(int rows) {
        return (rows + tile - 1) / tile * tile;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the OpenCL batch is closed");
        }
    }

    // ---- launches

    private void launch(String stage, int mode, int items) {
        k.mode = mode;
        k.count = items;
        int global = Math.max(localSize, (items + localSize - 1) / localSize * localSize);
        run(stage, device.createRange(global, localSize));
    }

    private void launch2d(String stage, int mode, int global0, int global1) {
        k.mode = mode;
        run(stage, device.createRange2D(global0, global1, tile, tile));
    }

    private void run(String stage, Range range) {
        OpenClDevices.launch(k, device, range, stage);
        stageDevices.putIfAbsent(stage, OpenClDevices.describe(device));
    }

    /** Runs a single stage with the kernel's current inputs; for the kernel-against-twin tests. */
    void launchStage(String stage, int mode, int items) {
        launch(stage, mode, items);
    }

    void launchStage2d(String stage, int mode, int global0, int global1) {
        launch2d(stage, mode, global0, global1);
    }

    StepKernel kernel() {
        return k;
    }

    int trainRowsPadded() {
        return trainRowsPadded;
    }

    int evalBase() {
        return trainCapacity;
    }

    int evalRowsPadded() {
        return evalRowsPadded;
    }

    int padded(int rows) {
        return pad(rows);
    }

    static int activationCode(Activation a) {
        switch (a) {
            case QUAD: return StepKernel.ACT_QUAD;
            case RELU: return StepKernel.ACT_RELU;
            case GELU: return StepKernel.ACT_GELU;
            case TANH: return StepKernel.ACT_TANH;
            case IDENTITY: return StepKernel.ACT_IDENTITY;
            case CUBE: return StepKernel.ACT_CUBE;
            default: throw new IllegalArgumentException("no OpenCL kernel for activation " + a);
        }
    }
}
