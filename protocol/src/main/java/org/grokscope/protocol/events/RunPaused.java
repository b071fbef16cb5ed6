package org.grokscope.protocol.events;

/** Training was paused after {@code epoch} epochs (by the user, or a clean shutdown). */
public record RunPaused(int epoch) implements RunEvent {
}
