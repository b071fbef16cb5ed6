package org.grokscope.compute.backend.opencl;

/**
 * {@link StepKernel} plus the GEMMs tiled for GPUs: each work group computes a tile × tile block
 * of the output from tiles of both operands staged in local memory, so every global element is
 * read once per tile instead of once per output. A separate class because pocl, the CPU OpenCL
 * device, compiles a kernel that contains barriers anywhere into slower code for all its stages.
 */
class TiledStepKernel extends StepKernel {
    // tile × (tile + 1): the extra column keeps the transposed reads off one memory bank
    @Local float[] tileA;
    @Local float[] tileB;

    @Override
    public void run() {
        int i = getGlobalId(0);
        simpleStages(i);
        if (mode == LOGITS_TILED) {
            logitsTiled();
        }
        if (mode == GRAD_W2_TILED) {
            gradW2Tiled();
        }
        if (mode == GRAD_Z_TILED) {
            gradZTiled();
        }
    }

    // the same, tiled: a work group is a tile×tile block of out; dim 0 walks q, dim 1 rows
    private void logitsTiled() {
        int lx = getLocalId(0);
        int ly = getLocalId(1);
        int q0 = getGroupId(0) * tile;
        int row0 = getGroupId(1) * tile;
        int r = run[base + row0];
        int stride = tile + 1;
        float acc = 0.0f;
        for (int k0 = 0; k0 < width; k0 += tile) {
            int k = k0 + lx;
            float a = 0.0f;
            float b = 0.0f;
            if (k < width) {
                a = z[(row0 + ly) * width + k];
                if (q0 + ly < classes) {
                    b = w[w2Base + (r * classes + q0 + ly) * width + k];
                }
            }
            tileA[ly * stride + lx] = a;
            tileB[ly * stride + lx] = b;
            localBarrier();
            for (int t = 0; t < tile; t++) {
                acc += tileA[ly * stride + t] * tileB[lx * stride + t];
            }
            localBarrier();
        }
        if (q0 + lx < classes) {
            out[(row0 + ly) * classes + q0 + lx] = scale * acc;
        }
    }

    // the same, tiled: dim 0 walks k, dim 1 walks (run, q) with q padded to the tile
    private void gradW2Tiled() {
        int lx = getLocalId(0);
        int ly = getLocalId(1);
        int k0 = getGroupId(0) * tile;
        int paddedClasses = ((classes + tile - 1) / tile) * tile;
        int gy0 = getGroupId(1) * tile;
        int r = gy0 / paddedClasses;
        int q0 = gy0 - r * paddedClasses;
        int from = runInfo[r * 6 + phase * 3] - base;
        int padded = runInfo[r * 6 + phase * 3 + 1];
        int stride = tile + 1;
        float acc = 0.0f;
        for (int t0 = from; t0 < from + padded; t0 += tile) {
            // A[q][t] = residual[t0 + t, q0 + q], B[t][k] = z[t0 + t, k0 + k]
            float a = 0.0f;
            float b = 0.0f;
            if (q0 + ly < classes) {
                a = out[(t0 + lx) * classes + q0 + ly];
            }
            if (k0 + lx < width) {
                b = z[(t0 + ly) * width + k0 + lx];
            }
            tileA[ly * stride + lx] = a;
            tileB[ly * stride + lx] = b;
            localBarrier();
            for (int t = 0; t < tile; t++) {
                acc += tileA[ly * stride + t] * tileB[t * stride + lx];
            }
            localBarrier();
        }
        if (q0 + ly < classes && k0 + lx < width) {
            g[w2Base + (r * classes + q0 + ly) * width + k0 + lx] = scale * acc;
        }
    }

    // the same, tiled: dim 0 walks k, dim 1 rows
    private void gradZTiled() {
        int lx = getLocalId(0);
        int ly = getLocalId(1);
        int k0 = getGroupId(0) * tile;
        int row0 = getGroupId(1) * tile;
        int r = run[base + row0];
        int stride = tile + 1;
        float acc = 0.0f;
        for (int q0 = 0; q0 < classes; q0 += tile) {
            // A[row][q] = residual[row0 + row, q0 + q], B[q][k] = w2[r, q0 + q, k0 + k]
            float a = 0.0f;
            float b = 0.0f;
            if (q0 + lx < classes) {
                a = out[(row0 + ly) * classes + q0 + lx];
            }
            if (q0 + ly < classes) {
                if (k0 + lx < width) {
                    b = w[w2Base + (r * classes + q0 + ly) * width + k0 + lx];
                }
            }
            tileA[ly * stride + lx] = a;
            tileB[ly * stride + lx] = b;
            localBarrier();
            for (int t = 0; t < tile; t++) {
                acc += tileA[ly * stride + t] * tileB[t * stride + lx];
            }
            localBarrier();
        }
        int k = k0 + lx;
        if (k < width) {
            int row = row0 + ly;
            z[row * width + k] = dphi(hidden(base + row, k)) * scale * acc;
        }
    }
}
