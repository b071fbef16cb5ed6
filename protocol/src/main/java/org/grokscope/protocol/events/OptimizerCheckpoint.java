package org.grokscope.protocol.events;

import java.util.Arrays;
import org.grokscope.protocol.serialization.KryoSerializable;

/**
 * Optimizer state at a checkpoint: step count and the two buffers per weight tensor (momentum or
 * Adam's moments). The W1 buffers use the engine layout (2p rows of N), the W2 ones (p, N).
 */
public record OptimizerCheckpoint(long step, float[] first1, float[] second1, float[] first2, float[] second2)
        implements KryoSerializable {

    @Override
    public boolean equals(Object o) {
        return o instanceof OptimizerCheckpoint c && step == c.step && Arrays.equals(first1, c.first1)
                && Arrays.equals(second1, c.second1) && Arrays.equals(first2, c.first2)
                && Arrays.equals(second2, c.second2);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(step) * 31 + Arrays.hashCode(first1) + 7 * Arrays.hashCode(first2);
    }

    @Override
    public String toString() {
        return "OptimizerCheckpoint[step=" + step + "]";
    }
}
