package org.grokscope.protocol.events;

import org.grokscope.protocol.serialization.KryoSerializable;

/**
 * What a run's journal records. The journal format is an API: events are only ever added, never
 * changed, and every class has a fixed Kryo id (see {@code Registrations}).
 */
public sealed interface RunEvent extends KryoSerializable
        permits RunStarted, EpochCompleted, CheckpointSaved, RunPaused, RunResumed, RunCompleted, RunFailed,
        RunStopped, TrainingSessionStarted {
}
