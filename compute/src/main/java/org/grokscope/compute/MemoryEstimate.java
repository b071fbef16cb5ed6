package org.grokscope.compute;

import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.SpecException;

/**
 * How much heap one run needs, checked before a run starts: the spec's bounds on p and width
 * alone allow runs of hundreds of GiB, which would otherwise end in an OutOfMemoryError after
 * the run is journaled. The count follows the CPU engine's allocations: weights, gradients and
 * the optimizer's two moments, one gradient copy per lane, and the copies a checkpoint and its
 * snapshot hold, each 3·p·N floats; plus the tiles and the dataset. It is an estimate, on the
 * generous side, not a promise.
 */
public final class MemoryEstimate {
    /** w, g, m, v, and the checkpoint's and the snapshot's copies of w, m and v. */
    private static final int WEIGHT_COPIES = 4 + 6;

    private MemoryEstimate() {
    }

    public static long bytes(RunSpec spec, ComputeSettings compute) {
        long p = spec.p();
        long n = spec.width();
        long weights = 3 * p * n;                       // W1 is N×2p, W2 is p×N
        long copies = WEIGHT_COPIES + compute.lanes();  // each lane sums its own gradient
        long tiles = (long) compute.lanes() * compute.tileRows() * (2 * n + 2 * p);
        long dataset = 8 * p * p;                       // n, m, q per pair, train and test, as ints
        return 4 * (weights * copies + tiles + dataset);
    }

    /**
     * Host memory of R runs stepped as one OpenCL batch with {@code trainSize} training pairs each:
     * per run its weights, gradients and optimizer state, and per training row a row of the hidden
     * layer and of the logits plus four ints of sample lists (the kernel's host-side buffers).
     */
    public static long batchBytes(RunSpec spec, long runs, long trainSize) {
        long p = spec.p();
        long n = spec.width();
        long perRun = 3 * p * n * WEIGHT_COPIES + trainSize * (n + p + 4 + 2);
        return 4 * runs * perRun;
    }

    /** Fails with a one-line error naming width (the usual knob) when the run cannot fit the heap. */
    public static void check(RunSpec spec, ComputeSettings compute, long maxHeap) {
        long need = bytes(spec, compute);
        if (need > maxHeap) {
            throw new SpecException("width", String.format(java.util.Locale.ROOT,
                    "p=%d with width=%d needs about %.1f GiB of memory, more than the %.1f GiB this JVM may use:"
                            + " lower width or p, or raise the heap (JAVA_OPTS=-Xmx...)",
                    spec.p(), spec.width(), need / 1073741824.0, maxHeap / 1073741824.0));
        }
    }
}
