package org.grokscope.protocol.events;

import org.grokscope.protocol.serialization.KryoSerializable;

/** What a run's live analyzer journals (persistence id {@code analysis-<run>}). */
public sealed interface AnalyzerEvent extends KryoSerializable permits AnalysisRecorded, PrecursorDetected {
}
