package org.grokscope.protocol.events;

import org.grokscope.protocol.EpochMetrics;

/** One epoch was trained; exactly one per epoch in a run's journal. */
public record EpochCompleted(EpochMetrics metrics) implements RunEvent {
    public int epoch() {
        return metrics.epoch();
    }
}
