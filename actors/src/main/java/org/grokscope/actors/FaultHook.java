package org.grokscope.actors;

/**
 * A test seam: called on the training thread before every epoch; an exception it throws fails the
 * trainer as a real bug would, so tests can check restart-from-snapshot. Production uses NONE.
 */
@FunctionalInterface
public interface FaultHook {
    FaultHook NONE = (runId, epoch) -> { };

    void beforeEpoch(String runId, int epoch);
}
