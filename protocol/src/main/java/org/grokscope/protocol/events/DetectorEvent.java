package org.grokscope.protocol.events;

import org.grokscope.protocol.serialization.KryoSerializable;

/**
 * What a run's onset detector journals (persistence id {@code detector-<run>}): its findings,
 * each once, so alerts survive restarts and are never sent twice.
 */
public sealed interface DetectorEvent extends KryoSerializable permits GrokkingDetected, PrecursorDetected {
}
