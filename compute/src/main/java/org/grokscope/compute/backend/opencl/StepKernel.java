package org.grokscope.compute.backend.opencl;

import com.aparapi.Kernel;

/**
 * Every OpenCL kernel of the training step and of evaluation, for R runs at once, as one Aparapi
 * kernel whose {@link #mode} picks the stage. One class because Aparapi keeps device buffers per
 * kernel object: with one object the weights, optimizer state and activations stay in the same
 * device buffers from stage to stage and from epoch to epoch ({@link #setExplicit explicit} mode:
 * the host moves arrays only through put and get).
 *
 * <p>Layout, all flat and row-major. The R runs share p, N, the activation and the loss; IN = 2p.
 * <ul>
 * <li>{@code w, g, m, v} (R·(IN+P)·N): weights, gradients and the optimizer's two buffers. The
 *     first R·IN·N entries are the runs' W1ᵀ (R,IN,N); W2 (R,P,N) starts at {@link #w2Base}.</li>
 * <li>samples s: {@code tok1, tok2} (the embedding rows n and p+m), {@code label} (−1 on padding)
 *     and {@code run}. Each run's rows form a block padded to a multiple of the GEMM tile, so a
 *     tile of rows never straddles two runs. The train blocks start at sample 0, the evaluation
 *     blocks at a fixed base after them; {@code runInfo[r·6 + phase·3 + {0,1,2}]} holds the first
 *     sample, the padded and the true row count of run r in phase 0 (train) or 1 (evaluation).</li>
 * <li>{@code z} (rows,N) holds φ(H) of the phase's rows, later G = φ'(H)⊙dZ in place; {@code out}
 *     (rows,P) the logits, later the residual dL/dout in place. Row index = s − {@link #base}.</li>
 * <li>{@code w2t} (R,N,P): W2 transposed, refreshed before the simple logits GEMM.</li>
 * <li>{@code csrStart, csrRows}: for run r and embedding row j, the samples that gather row j,
 *     built on the host, so the W1 gradient is a race-free gather-sum instead of a scatter-add.</li>
 * </ul>
 * No switch, break, objects, lambdas or conditional expressions (?:) here: Aparapi 3.0.2 translates
 * only primitive code and fails on some ternaries ("child list broken").
 */
class StepKernel extends Kernel {
    static final int GATHER = 0;
    static final int LOGITS = 1;
    static final int LOGITS_TILED = 2;
    static final int LOSS = 3;
    static final int REDUCE = 4;
    static final int GRAD_W2 = 5;
    static final int GRAD_W2_TILED = 6;
    static final int GRAD_Z = 7;
    static final int GRAD_Z_TILED = 8;
    static final int SCATTER_W1 = 9;
    static final int UPDATE = 10;
    static final int NORMS = 11;
    static final int TRANSPOSE_W2 = 12;

    /** Rows per work item of the simple logits and dZ GEMMs; the tile must be a multiple of it. */
    static final int ROW_BLOCK = 4;

    /** Classes per work item of the simple dW2 GEMM. */
    static final int Q_BLOCK = 8;

    /** Activation codes, in the order of {@link org.grokscope.protocol.Activation}'s kernels. */
    static final int ACT_QUAD = 0;
    static final int ACT_RELU = 1;
    /** Below this, log(1 + x) of the CE loss is taken from its series (float's log(1 + x) loses x). */
    static final float LOG1P_SERIES_BELOW = 1e-3f;
    static final int ACT_GELU = 2;
    static final int ACT_TANH = 3;
    static final int ACT_IDENTITY = 4;
    static final int ACT_CUBE = 5;

    static final int OPT_ADAMW = 0;
    static final int OPT_SGD = 1;
    static final int OPT_SGD_MOMENTUM = 2;

    /** Per-run optimizer scalars in {@link #hp}: r·HP + one of the HP_ offsets. */
    static final int HP = 10;
    static final int HP_LR = 0;
    static final int HP_WD = 1;
    static final int HP_MOMENTUM = 2;
    static final int HP_NESTEROV = 3;
    static final int HP_BETA1 = 4;
    static final int HP_BETA2 = 5;
    static final int HP_EPS = 6;
    static final int HP_STEP_SIZE = 7;
    static final int HP_BC2_SQRT = 8;
    static final int HP_DECAY = 9;

    private static final float GELU_C = 0.7978845608f; // sqrt(2/pi)
    private static final float GELU_A = 0.044715f;

    // shapes: runs, classes, inputs (2p), width, start of W2 in w/g/m/v, tile edge
    int runs;
    int classes;
    int inputs;
    int width;
    int w2Base;
    int tile;
    int activation;
    int lossKind; // 0 MSE, 1 cross-entropy
    float scale;

    // launch parameters, set by the host before each execute
    int mode;
    int phase;
    int base;
    int count;
    int residual;

    float[] w;
    float[] g;
    float[] m;
    float[] v;
    float[] hp;
    int[] optKind;
    int[] tok1;
    int[] tok2;
    int[] label;
    int[] run;
    int[] runInfo;
    int[] csrStart;
    int[] csrRows;
    float[] z;
    float[] out;
    float[] rowLoss;
    int[] rowHit;
    float[] statLoss;
    int[] statHits;
    float[] normPart;
    float[] w2t;

    StepKernel() {
    }

    @Override
    public void run() {
        simpleStages(getGlobalId(0));
    }

    /** The stages without local memory or barriers. */
    protected void simpleStages(int i) {
        if (mode == GATHER) {
            gather(i);
        }
        if (mode == LOGITS) {
            logits(i);
        }
        if (mode == LOSS) {
            loss(i);
        }
        if (mode == REDUCE) {
            reduce(i);
        }
        if (mode == GRAD_W2) {
            gradW2(i);
        }
        if (mode == GRAD_Z) {
            gradZ(i);
        }
        if (mode == SCATTER_W1) {
            scatterW1(i);
        }
        if (mode == UPDATE) {
            update(i);
        }
        if (mode == NORMS) {
            norms(i);
        }
        if (mode == TRANSPOSE_W2) {
            transposeW2(i);
        }
    }

    // z is (rows,N); w holds W1ᵀ (R,IN,N): z[row,k] = φ(w1t[r,tok1,k] + w1t[r,tok2,k])
    private void gather(int i) {
        if (i < count) {
            int row = i / width;
            int k = i - row * width;
            z[i] = phi(hidden(base + row, k));
        }
    }

    protected float hidden(int s, int k) {
        int r = run[s];
        return w[(r * inputs + tok1[s]) * width + k] + w[(r * inputs + tok2[s]) * width + k];
    }

    // w2 of run r is (P,N), w2t of run r is (N,P): the simple logits then read W2 along q, the
    // index that neighbouring work items differ in, which CPU devices vectorise
    private void transposeW2(int i) {
        if (i < count) {
            int per = width * classes;
            int r = i / per;
            int rem = i - r * per;
            int k = rem / classes;
            int q = rem - k * classes;
            w2t[i] = w[w2Base + (r * classes + q) * width + k];
        }
    }

    // z is (rows,N), w2t of run r is (N,P), out is (rows,P): out = s·Z·W2ᵀ. A work item owns four
    // rows at one q (row blocks never straddle runs: run blocks are padded to the tile, a multiple
    // of four), so each W2 element read serves four outputs.
    private void logits(int i) {
        if (i < count) {
            int rb = i / classes;
            int q = i - rb * classes;
            int row0 = rb * ROW_BLOCK;
            int r = run[base + row0];
            int z0 = row0 * width;
            int wo = r * width * classes + q;
            float a0 = 0.0f;
            float a1 = 0.0f;
            float a2 = 0.0f;
            float a3 = 0.0f;
            for (int k = 0; k < width; k++) {
                float wv = w2t[wo + k * classes];
                a0 += z[z0 + k] * wv;
                a1 += z[z0 + width + k] * wv;
                a2 += z[z0 + 2 * width + k] * wv;
                a3 += z[z0 + 3 * width + k] * wv;
            }
            int o = row0 * classes + q;
            out[o] = scale * a0;
            out[o + classes] = scale * a1;
            out[o + 2 * classes] = scale * a2;
            out[o + 3 * classes] = scale * a3;
        }
    }

    // out is (rows,P) logits; per row: loss and hit, and with residual = 1 dL/dout in place.
    // Plain ifs without else: Aparapi 3.0.2 cannot fold the nested if/else of this method.
    private void loss(int i) {
        if (i < count) {
            int s = base + i;
            int y = label[s];
            int o = i * classes;
            float value = 0.0f;
            int hit = 0;
            if (y >= 0) {
                int best = 0;
                float max = out[o];
                for (int j = 1; j < classes; j++) {
                    if (out[o + j] > max) {
                        max = out[o + j];
                        best = j;
                    }
                }
                if (best == y) {
                    hit = 1;
                }
                float batch = runInfo[run[s] * 6 + phase * 3 + 2];
                if (lossKind == 0) {
                    float coef = 2.0f / (batch * classes);
                    for (int j = 0; j < classes; j++) {
                        float d = out[o + j] - onehot(j, y);
                        value += d * d;
                        if (residual == 1) {
                            out[o + j] = coef * d;
                        }
                    }
                }
                if (lossKind == 1) {
                    // Σ over the other logits apart: for a fitted row it is far below float's
                    // resolution at 1, and log(1 + rest) taken as log of a float sum would be 0
                    float rest = 0.0f;
                    for (int j = 0; j < classes; j++) {
                        if (j != best) {
                            rest += exp(out[o + j] - max);
                        }
                    }
                    float sum = 1.0f + rest;
                    float logSum = log(sum);
                    if (rest < LOG1P_SERIES_BELOW) {
                        // log1p(x) = x − x²/2 + x³/3 − ...: relative error below x³/4
                        logSum = rest * (1.0f - rest * (0.5f - rest / 3.0f));
                    }
                    value = logSum - (out[o + y] - max);
                    if (residual == 1) {
                        float inv = 1.0f / batch;
                        for (int j = 0; j < classes; j++) {
                            out[o + j] = inv * (exp(out[o + j] - max) / sum - onehot(j, y));
                        }
                    }
                }
            }
            if (y < 0) {
                if (residual == 1) {
                    for (int j = 0; j < classes; j++) {
                        out[o + j] = 0.0f;
                    }
                }
            }
            rowLoss[i] = value;
            rowHit[i] = hit;
        }
    }

    // one work item per run: compensated sum of its rows' losses, and its hits, in row order
    private void reduce(int r) {
        if (r < runs) {
            int from = runInfo[r * 6 + phase * 3] - base;
            int padded = runInfo[r * 6 + phase * 3 + 1];
            float sum = 0.0f;
            float c = 0.0f;
            int hits = 0;
            for (int t = from; t < from + padded; t++) {
                float y = rowLoss[t] - c;
                float next = sum + y;
                c = (next - sum) - y;
                sum = next;
                hits += rowHit[t];
            }
            statLoss[r] = sum;
            statHits[r] = hits;
        }
    }

    // residual (rows,P) and z (rows,N) of run r's block: gW2[r] (P,N) = s·Rᵀ·Z. A work item owns
    // eight classes q0..q0+7 at one k, so each z element read serves eight outputs (Z is far larger
    // than a CPU cache); indices past p are clamped for the reads and not written.
    private void gradW2(int i) {
        if (i < count) {
            int blocks = (classes + Q_BLOCK - 1) / Q_BLOCK;
            int per = blocks * width;
            int r = i / per;
            int rem = i - r * per;
            int qb = rem / width;
            int k = rem - qb * width;
            int q0 = qb * Q_BLOCK;
            int last = classes - 1;
            int c1 = min(q0 + 1, last);
            int c2 = min(q0 + 2, last);
            int c3 = min(q0 + 3, last);
            int c4 = min(q0 + 4, last);
            int c5 = min(q0 + 5, last);
            int c6 = min(q0 + 6, last);
            int c7 = min(q0 + 7, last);
            int from = runInfo[r * 6 + phase * 3] - base;
            int padded = runInfo[r * 6 + phase * 3 + 1];
            float a0 = 0.0f;
            float a1 = 0.0f;
            float a2 = 0.0f;
            float a3 = 0.0f;
            float a4 = 0.0f;
            float a5 = 0.0f;
            float a6 = 0.0f;
            float a7 = 0.0f;
            for (int t = from; t < from + padded; t++) {
                float zt = z[t * width + k];
                int o = t * classes;
                a0 += out[o + q0] * zt;
                a1 += out[o + c1] * zt;
                a2 += out[o + c2] * zt;
                a3 += out[o + c3] * zt;
                a4 += out[o + c4] * zt;
                a5 += out[o + c5] * zt;
                a6 += out[o + c6] * zt;
                a7 += out[o + c7] * zt;
            }
            int g0 = w2Base + (r * classes + q0) * width + k;
            g[g0] = scale * a0;
            if (q0 + 1 < classes) {
                g[g0 + width] = scale * a1;
            }
            if (q0 + 2 < classes) {
                g[g0 + 2 * width] = scale * a2;
            }
            if (q0 + 3 < classes) {
                g[g0 + 3 * width] = scale * a3;
            }
            if (q0 + 4 < classes) {
                g[g0 + 4 * width] = scale * a4;
            }
            if (q0 + 5 < classes) {
                g[g0 + 5 * width] = scale * a5;
            }
            if (q0 + 6 < classes) {
                g[g0 + 6 * width] = scale * a6;
            }
            if (q0 + 7 < classes) {
                g[g0 + 7 * width] = scale * a7;
            }
        }
    }

    // residual (rows,P), w2 of run r (P,N): z[row,k] = φ'(H[row,k]) · s·(R·W2)[row,k], H re-gathered.
    // A work item owns four rows at one k, as in the logits.
    private void gradZ(int i) {
        if (i < count) {
            int rb = i / width;
            int k = i - rb * width;
            int row0 = rb * ROW_BLOCK;
            int s0 = base + row0;
            int r = run[s0];
            int o = row0 * classes;
            int wo = w2Base + r * classes * width + k;
            float a0 = 0.0f;
            float a1 = 0.0f;
            float a2 = 0.0f;
            float a3 = 0.0f;
            for (int q = 0; q < classes; q++) {
                float wv = w[wo + q * width];
                a0 += out[o + q] * wv;
                a1 += out[o + classes + q] * wv;
                a2 += out[o + 2 * classes + q] * wv;
                a3 += out[o + 3 * classes + q] * wv;
            }
            int zo = row0 * width + k;
            z[zo] = dphi(hidden(s0, k)) * scale * a0;
            z[zo + width] = dphi(hidden(s0 + 1, k)) * scale * a1;
            z[zo + 2 * width] = dphi(hidden(s0 + 2, k)) * scale * a2;
            z[zo + 3 * width] = dphi(hidden(s0 + 3, k)) * scale * a3;
        }
    }

    // G (rows,N) in z; gW1ᵀ[r,j,k] = Σ over the samples s that gather row j of G[s,k]
    private void scatterW1(int i) {
        if (i < count) {
            int rj = i / width;
            int k = i - rj * width;
            float acc = 0.0f;
            for (int e = csrStart[rj]; e < csrStart[rj + 1]; e++) {
                acc += z[(csrRows[e] - base) * width + k];
            }
            g[i] = acc;
        }
    }

    // w, g, m, v elementwise (R·(IN+P)·N); the rules and their order as Optimizer.update
    private void update(int i) {
        if (i < count) {
            int r = (i - w2Base) / (classes * width);
            if (i < w2Base) {
                r = i / (inputs * width);
            }
            int h = r * HP;
            int kind = optKind[r];
            float gi = g[i];
            if (kind == OPT_ADAMW) {
                float b1 = hp[h + HP_BETA1];
                float b2 = hp[h + HP_BETA2];
                float mi = b1 * m[i] + (1.0f - b1) * gi;
                float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
                m[i] = mi;
                v[i] = vi;
                float denom = sqrt(vi) / hp[h + HP_BC2_SQRT] + hp[h + HP_EPS];
                w[i] = w[i] * hp[h + HP_DECAY] - hp[h + HP_STEP_SIZE] * (mi / denom);
            } else if (kind == OPT_SGD) {
                w[i] = w[i] - hp[h + HP_LR] * (gi + hp[h + HP_WD] * w[i]);
            } else {
                float mu = hp[h + HP_MOMENTUM];
                float d = gi + hp[h + HP_WD] * w[i];
                float buf = mu * m[i] + d;
                m[i] = buf;
                float step = buf;
                if (hp[h + HP_NESTEROV] > 0.5f) {
                    step = d + mu * buf;
                }
                w[i] = w[i] - hp[h + HP_LR] * step;
            }
        }
    }

    // one work item per row of N weights: its sums of squares of w and g, for the host to add up
    private void norms(int i) {
        if (i < count) {
            float sw = 0.0f;
            float sg = 0.0f;
            for (int k = i * width; k < (i + 1) * width; k++) {
                sw += w[k] * w[k];
                sg += g[k] * g[k];
            }
            normPart[2 * i] = sw;
            normPart[2 * i + 1] = sg;
        }
    }

    private float onehot(int j, int y) {
        float r = 0.0f;
        if (j == y) {
            r = 1.0f;
        }
        return r;
    }

    protected float tanhf(float x) {
        // 1 − 2/(e^{2x}+1) saturates to ±1 instead of overflowing to NaN
        return 1.0f - 2.0f / (exp(2.0f * x) + 1.0f);
    }

    private float phi(float h) {
        float r = h;
        if (activation == ACT_QUAD) {
            r = h * h;
        } else if (activation == ACT_RELU) {
            // not max(h, 0): OpenCL's fmax(NaN, 0) is 0, which would hide a diverged weight
            if (h < 0.0f) {
                r = 0.0f;
            }
        } else if (activation == ACT_GELU) {
            r = 0.5f * h * (1.0f + tanhf(GELU_C * (h + GELU_A * h * h * h)));
        } else if (activation == ACT_TANH) {
            r = tanhf(h);
        } else if (activation == ACT_CUBE) {
            r = h * h * h;
        }
        return r;
    }

    protected float dphi(float h) {
        float r = 1.0f;
        if (activation == ACT_QUAD) {
            r = 2.0f * h;
        } else if (activation == ACT_RELU) {
            r = 0.0f;
            if (h > 0.0f) {
                r = 1.0f;
            }
        } else if (activation == ACT_GELU) {
            float t = tanhf(GELU_C * (h + GELU_A * h * h * h));
            float du = GELU_C * (1.0f + 3.0f * GELU_A * h * h);
            r = 0.5f * (1.0f + t) + 0.5f * h * (1.0f - t * t) * du;
        } else if (activation == ACT_TANH) {
            float t = tanhf(h);
            r = 1.0f - t * t;
        } else if (activation == ACT_CUBE) {
            r = 3.0f * h * h;
        }
        return r;
    }
}
