package org.grokscope.protocol.events;

import org.grokscope.protocol.RunSpec;

/** A run was created: its full spec (seeds included), the code version and the wall-clock start. */
public record RunStarted(String runId, RunSpec spec, String codeVersion, long startedAtMillis) implements RunEvent {
}
