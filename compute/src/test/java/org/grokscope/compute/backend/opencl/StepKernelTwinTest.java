package org.grokscope.compute.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aparapi.device.OpenCLDevice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.grokscope.compute.backend.Blas;
import org.grokscope.compute.backend.Norms;
import org.grokscope.compute.model.Activations;
import org.grokscope.compute.model.Losses;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.Optimizer;
import org.grokscope.compute.task.Dataset;
import org.grokscope.compute.task.Split;
import org.grokscope.compute.task.Tasks;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.LossKind;
import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.OptimizerSpec;
import org.grokscope.protocol.Parametrization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each stage of {@link StepKernel} against its Java twin, on its own: the stage runs on the device,
 * its inputs and outputs are read back, and the twin recomputes the outputs from those same inputs
 * (Activations' row kernels, {@link Blas#sgemmNaive} in double, {@link Losses#rowLoss},
 * {@link Optimizer#updateNaive}, {@link Norms}). Three runs of different training-set sizes and
 * different optimizers (AdamW, SGD, Nesterov SGD) share each launch; p = 11 and N = 37 are not
 * multiples of the 8-wide tiles, so the padding and guards are exercised; both GEMM variants.
 *
 * <p>Tolerances, as a fraction of the largest magnitude of the twin's output: elementwise stages
 * are float against float (or double rounded once) and the activations recompute tanh through exp,
 * 1e-6; GEMMs sum in float over K ≤ 350 terms against a double sum, a few hundred ulps at worst,
 * 2e-5 (measured on pocl: below 5e-7; elementwise below 2e-7); an indexing or padding bug gives O(1).
 */
class StepKernelTwinTest {
    private static final int P = 11;
    private static final int WIDTH = 37;
    private static final int TILE = 8;
    private static final double ELEMENTWISE = 1e-6;
    private static final double GEMM = 2e-5;

    static Stream<Arguments> variants() {
        List<Arguments> list = new ArrayList<>();
        for (OpenClSettings.Gemm gemm : new OpenClSettings.Gemm[] {OpenClSettings.Gemm.SIMPLE, OpenClSettings.Gemm.TILED}) {
            list.add(Arguments.of(gemm, Activation.QUAD, LossKind.MSE, Parametrization.MEAN_FIELD));
            list.add(Arguments.of(gemm, Activation.GELU, LossKind.CSE, Parametrization.STANDARD));
        }
        list.add(Arguments.of(OpenClSettings.Gemm.SIMPLE, Activation.RELU, LossKind.MSE, Parametrization.STANDARD));
        list.add(Arguments.of(OpenClSettings.Gemm.SIMPLE, Activation.TANH, LossKind.CSE, Parametrization.MEAN_FIELD));
        list.add(Arguments.of(OpenClSettings.Gemm.SIMPLE, Activation.CUBE, LossKind.MSE, Parametrization.MEAN_FIELD));
        list.add(Arguments.of(OpenClSettings.Gemm.SIMPLE, Activation.IDENTITY, LossKind.MSE, Parametrization.MEAN_FIELD));
        return list.stream();
    }

    static List<OpenClBatch.Member> members(ModelShape shape) {
        Dataset all = Dataset.of(Tasks.parse("add", shape.p()));
        double[] alphas = {0.3, 0.5, 0.8};
        OptimizerSpec[] specs = {
            new OptimizerSpec(OptimizerKind.ADAMW, 0.01, 0.0, false, 1.0, 0.9, 0.98, 1e-8),
            new OptimizerSpec(OptimizerKind.GD, 2.0, 0.0, false, 1e-3, 0.9, 0.98, 1e-8),
            new OptimizerSpec(OptimizerKind.GD, 2.0, 0.9, true, 1e-3, 0.9, 0.98, 1e-8)};
        List<OpenClBatch.Member> members = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Split split = Split.of(all, alphas[r], 7 + r);
            members.add(new OpenClBatch.Member(Weights.init(shape, 40 + r), new Optimizer(specs[r]), split.train()));
        }
        return members;
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("variants")
    void everyStageMatchesItsTwin(OpenClSettings.Gemm gemm, Activation act, LossKind loss, Parametrization pz) {
        OpenCLDevice device = OpenClTests.device();
        ModelShape shape = new ModelShape(P, WIDTH, act, pz, loss);
        List<OpenClBatch.Member> members = members(shape);
        OpenClSettings settings = new OpenClSettings("auto", gemm, TILE, 32);
        try (OpenClBatch b = OpenClBatch.open(settings, device, members)) {
            assertEquals(gemm == OpenClSettings.Gemm.TILED, b.tiled());
            StepKernel k = b.kernel();
            int runs = b.size();
            int n = WIDTH;
            float scale = shape.readoutScale();
            Weights[] w = new Weights[runs];
            for (int r = 0; r < runs; r++) {
                w[r] = b.weights(r);
            }
            int rows = b.trainRowsPadded();
            k.phase = 0;
            k.base = 0;

            // gather + φ: z (rows,N)
            b.launchStage("gather", StepKernel.GATHER, rows * n);
            k.get(k.z);
            float[] zTwin = new float[rows * n];
            float[] row = new float[n];
            for (int s = 0; s < rows; s++) {
                Activations.forwardRow(act, rowOf(w[k.run[s]].w1t(), k.tok1[s], n), rowOf(w[k.run[s]].w1t(), k.tok2[s], n),
                        row, n);
                System.arraycopy(row, 0, zTwin, s * n, n);
            }
            assertClose("gather", zTwin, Arrays.copyOf(k.z, rows * n), ELEMENTWISE);
            float[] z = Arrays.copyOf(k.z, rows * n);

            // logits: out (rows,P) = s·Z·W2ᵀ per run block
            if (b.tiled()) {
                b.launchStage2d("logits", StepKernel.LOGITS_TILED, b.padded(P), rows);
            } else {
                b.launchStage("transpose-w2", StepKernel.TRANSPOSE_W2, runs * P * n);
                k.get(k.w2t);
                for (int r = 0; r < runs; r++) {
                    for (int q = 0; q < P; q++) {
                        for (int c = 0; c < n; c++) {
                            assertEquals(w[r].w2()[q * n + c], k.w2t[(r * n + c) * P + q], "W2 transposed");
                        }
                    }
                }
                b.launchStage("logits", StepKernel.LOGITS, rows / StepKernel.ROW_BLOCK * P);
            }
            k.get(k.out);
            float[] logits = Arrays.copyOf(k.out, rows * P);
            float[] logitsTwin = new float[rows * P];
            for (int r = 0; r < runs; r++) {
                int from = k.runInfo[r * 6];
                int pad = k.runInfo[r * 6 + 1];
                float[] block = new float[pad * P];
                Blas.sgemmNaive(false, true, pad, P, n, scale, Arrays.copyOfRange(z, from * n, (from + pad) * n), n,
                        w[r].w2(), n, 0.0f, block, P);
                System.arraycopy(block, 0, logitsTwin, from * P, pad * P);
            }
            assertClose("logits", logitsTwin, logits, GEMM);

            // loss, hit and residual per row
            k.residual = 1;
            b.launchStage("loss", StepKernel.LOSS, rows);
            k.get(k.out);
            k.get(k.rowLoss);
            k.get(k.rowHit);
            float[] residual = Arrays.copyOf(k.out, rows * P);
            float[] residualTwin = new float[rows * P];
            float[] lossTwin = new float[rows];
            for (int s = 0; s < rows; s++) {
                int y = k.label[s];
                if (y < 0) {
                    assertEquals(0.0f, k.rowLoss[s], "padding row " + s + " loss");
                    assertEquals(0, k.rowHit[s], "padding row " + s + " hit");
                    continue;
                }
                int batch = k.runInfo[k.run[s] * 6 + 2];
                lossTwin[s] = (float) Losses.rowLoss(loss, logits, s * P, y, P, batch, residualTwin, s * P);
                boolean hit = Losses.argmax(logits, s * P, P) == y;
                assertEquals(hit ? 1 : 0, k.rowHit[s], "hit of row " + s);
            }
            assertClose("row loss", lossTwin, Arrays.copyOf(k.rowLoss, rows), ELEMENTWISE);
            assertClose("residual", residualTwin, residual, ELEMENTWISE);

            // per-run reduction of losses and hits
            b.launchStage("reduce", StepKernel.REDUCE, runs);
            k.get(k.statLoss);
            k.get(k.statHits);
            for (int r = 0; r < runs; r++) {
                int from = k.runInfo[r * 6];
                double sum = 0.0;
                int hits = 0;
                for (int s = from; s < from + k.runInfo[r * 6 + 1]; s++) {
                    sum += k.rowLoss[s];
                    hits += k.rowHit[s];
                }
                assertEquals(sum, k.statLoss[r], 1e-6 * sum, "loss sum of run " + r);
                assertEquals(hits, k.statHits[r], "hits of run " + r);
            }

            // dW2 (P,N) = s·Rᵀ·Z per run
            if (b.tiled()) {
                b.launchStage2d("grad-w2", StepKernel.GRAD_W2_TILED, b.padded(n), runs * b.padded(P));
            } else {
                b.launchStage("grad-w2", StepKernel.GRAD_W2, runs * ((P + StepKernel.Q_BLOCK - 1) / StepKernel.Q_BLOCK) * n);
            }
            k.get(k.g);
            for (int r = 0; r < runs; r++) {
                int from = k.runInfo[r * 6];
                int pad = k.runInfo[r * 6 + 1];
                float[] twin = new float[P * n];
                Blas.sgemmNaive(true, false, P, n, pad, scale, Arrays.copyOfRange(residual, from * P, (from + pad) * P), P,
                        Arrays.copyOfRange(z, from * n, (from + pad) * n), n, 0.0f, twin, n);
                int off = runs * shape.w1Size() + r * shape.w2Size();
                assertClose("grad W2 of run " + r, twin, Arrays.copyOfRange(k.g, off, off + P * n), GEMM);
            }

            // G (rows,N) = φ'(H) ⊙ s·R·W2, written over z
            if (b.tiled()) {
                b.launchStage2d("grad-z", StepKernel.GRAD_Z_TILED, b.padded(n), rows);
            } else {
                b.launchStage("grad-z", StepKernel.GRAD_Z, rows / StepKernel.ROW_BLOCK * n);
            }
            k.get(k.z);
            float[] gz = Arrays.copyOf(k.z, rows * n);
            float[] gzTwin = new float[rows * n];
            for (int r = 0; r < runs; r++) {
                int from = k.runInfo[r * 6];
                int pad = k.runInfo[r * 6 + 1];
                float[] dz = new float[pad * n];
                Blas.sgemmNaive(false, false, pad, n, P, scale, Arrays.copyOfRange(residual, from * P, (from + pad) * P), P,
                        w[r].w2(), n, 0.0f, dz, n);
                for (int t = 0; t < pad; t++) {
                    int s = from + t;
                    float[] x1 = rowOf(w[r].w1t(), k.tok1[s], n);
                    float[] x2 = rowOf(w[r].w1t(), k.tok2[s], n);
                    for (int c = 0; c < n; c++) {
                        gzTwin[s * n + c] = (float) (Activations.dphi(act, x1[c] + x2[c]) * dz[t * n + c]);
                    }
                }
            }
            assertClose("grad Z", gzTwin, gz, GEMM);

            // W1 gradient: the plain scatter-add over samples, in double, against the CSR gather-sum
            b.launchStage("scatter-w1", StepKernel.SCATTER_W1, runs * 2 * P * n);
            k.get(k.g);
            double[] g1Twin = new double[runs * shape.w1Size()];
            for (int s = 0; s < rows; s++) {
                if (k.label[s] < 0) {
                    continue;
                }
                int r = k.run[s];
                for (int c = 0; c < n; c++) {
                    g1Twin[r * shape.w1Size() + k.tok1[s] * n + c] += gz[s * n + c];
                    g1Twin[r * shape.w1Size() + k.tok2[s] * n + c] += gz[s * n + c];
                }
            }
            float[] g1 = Arrays.copyOf(k.g, runs * shape.w1Size());
            assertClose("scatter W1", toFloat(g1Twin), g1, ELEMENTWISE * 10);

            // norms of weights and gradients, per run
            double[][] norms = b.norms();
            for (int r = 0; r < runs; r++) {
                assertEquals(Norms.frobenius(w[r].w1t()), norms[r][0], 1e-6 * norms[r][0], "|W1| of run " + r);
                assertEquals(Norms.frobenius(w[r].w2()), norms[r][1], 1e-6 * norms[r][1], "|W2| of run " + r);
                assertEquals(Norms.frobenius(b.gradW1t(r)), norms[r][2], 1e-6 * norms[r][2], "|gW1| of run " + r);
                assertEquals(Norms.frobenius(b.gradW2(r)), norms[r][3], 1e-6 * norms[r][3], "|gW2| of run " + r);
            }

            // the optimizer update, two steps so AdamW's bias corrections and the momentum buffers move
            for (int t = 1; t <= 2; t++) {
                float[][] wTwin = new float[runs][];
                float[][] gradW1 = new float[runs][];
                float[][] gradW2 = new float[runs][];
                float[][][] state = new float[runs][][];
                for (int r = 0; r < runs; r++) {
                    Weights before = b.weights(r);
                    var st = b.optimizerState(r);
                    gradW1[r] = b.gradW1t(r);
                    gradW2[r] = b.gradW2(r);
                    float[] w1 = before.w1t().clone();
                    float[] w2 = before.w2().clone();
                    OptimizerSpec spec = members.get(r).optimizer().spec();
                    Optimizer.updateNaive(spec, t, w1, gradW1[r], st.first1(), st.second1());
                    Optimizer.updateNaive(spec, t, w2, gradW2[r], st.first2(), st.second2());
                    wTwin[r] = concat(w1, w2);
                    state[r] = new float[][] {concat(st.first1(), st.first2()), concat(st.second1(), st.second2())};
                }
                b.applyUpdate();
                for (int r = 0; r < runs; r++) {
                    Weights after = b.weights(r);
                    var st = b.optimizerState(r);
                    assertEquals(t, st.step());
                    assertClose("update step " + t + " run " + r + " weights", wTwin[r], concat(after.w1t(), after.w2()),
                            ELEMENTWISE);
                    OptimizerSpec spec = members.get(r).optimizer().spec();
                    boolean adam = spec.kind() == OptimizerKind.ADAMW;
                    float[] first = concat(st.first1(), st.first2());
                    float[] second = concat(st.second1(), st.second2());
                    if (adam || spec.momentum() != 0.0) {
                        assertClose("update step " + t + " run " + r + " first buffer", state[r][0], first, ELEMENTWISE);
                    } else {
                        assertTrue(allZero(first), "plain SGD must leave its first buffer zero");
                    }
                    if (adam) {
                        assertClose("update step " + t + " run " + r + " second moment", state[r][1], second, ELEMENTWISE);
                    } else {
                        assertTrue(allZero(second), "SGD must leave the second buffer zero");
                    }
                }
            }
            assertTrue(b.deviceReport().contains("ran on"), b.deviceReport());
        }
    }

    static float[] rowOf(float[] w1t, int row, int n) {
        return Arrays.copyOfRange(w1t, row * n, (row + 1) * n);
    }

    static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static boolean allZero(float[] a) {
        for (float x : a) {
            if (x != 0.0f) {
                return false;
            }
        }
        return true;
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /** max |expected − actual| ≤ rel · max |expected|, with the worst element in the message. */
    static void assertClose(String what, float[] expected, float[] actual, double rel) {
        assertEquals(expected.length, actual.length, what + ": lengths");
        double scale = 0.0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertTrue(scale > 0.0, what + ": the twin's output is all zero, nothing compared");
        double worst = 0.0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= rel * scale, what + ": max difference " + worst + " at " + at + " (expected "
                + (at < 0 ? "" : expected[at] + ", got " + actual[at]) + "), allowed " + rel * scale);
        if (System.getProperty("grokscope.test.verbose") != null) {
            System.out.printf("%s: max relative difference %.2e%n", what, worst / scale);
        }
    }
}
