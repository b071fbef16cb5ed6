package org.grokscope.protocol.events;

import java.util.Arrays;

/**
 * The results of the live analyzers for one checkpoint (persistence id {@code analysis-<run>}),
 * keyed by analyzer set, its version and parameters, so they survive restarts and are never
 * computed twice. Arrays (histograms, coverage) are flattened as name[i].
 */
public record AnalysisRecorded(String runId, String analyzers, int version, String parameters, int epoch,
                               String[] names, double[] values) implements AnalyzerEvent {

    @Override
    public boolean equals(Object o) {
        return o instanceof AnalysisRecorded a && runId.equals(a.runId) && analyzers.equals(a.analyzers)
                && version == a.version && parameters.equals(a.parameters) && epoch == a.epoch
                && Arrays.equals(names, a.names) && Arrays.equals(values, a.values);
    }

    @Override
    public int hashCode() {
        return runId.hashCode() * 31 + epoch;
    }

    @Override
    public String toString() {
        return "AnalysisRecorded[" + runId + " epoch " + epoch + " " + analyzers + "@" + version + "]";
    }
}
