package org.grokscope.protocol.events;

import java.util.Arrays;

/**
 * The weights after {@code epoch} epochs, W1 as N×2p and W2 as p×N (row-major, the paper's
 * layout), with the optimizer state, so a run resumes from here without retraining.
 */
public record CheckpointSaved(int epoch, int p, int width, float[] w1, float[] w2, OptimizerCheckpoint optimizer)
        implements RunEvent {

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointSaved c && epoch == c.epoch && p == c.p && width == c.width
                && Arrays.equals(w1, c.w1) && Arrays.equals(w2, c.w2) && optimizer.equals(c.optimizer);
    }

    @Override
    public int hashCode() {
        return epoch * 31 + Arrays.hashCode(w1) + 7 * Arrays.hashCode(w2);
    }

    @Override
    public String toString() {
        return "CheckpointSaved[epoch=" + epoch + ", p=" + p + ", width=" + width + "]";
    }
}
