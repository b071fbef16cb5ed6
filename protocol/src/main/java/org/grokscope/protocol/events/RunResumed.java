package org.grokscope.protocol.events;

/** A paused run was resumed at {@code epoch}. */
public record RunResumed(int epoch) implements RunEvent {
}
