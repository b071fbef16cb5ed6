package org.grokscope.protocol.events;

/** A sign that grokking may be near, e.g. kind "test-loss-peak" at the epoch of the maximum. */
public record PrecursorDetected(String runId, String kind, int epoch) implements DetectorEvent, AnalyzerEvent {
    public static final String TEST_LOSS_PEAK = "test-loss-peak";
    public static final String IPR_ACCELERATION = "ipr-acceleration";
}
