package org.grokscope.protocol.events;

/** The run grokked: t_fit, t_onset and t_grok as defined in SCIENCE.md §6. */
public record GrokkingDetected(String runId, int tFit, int tOnset, int tGrok) implements DetectorEvent {
}
