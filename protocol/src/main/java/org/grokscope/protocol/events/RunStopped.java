package org.grokscope.protocol.events;

/** The user stopped the run for good after {@code epoch} epochs. */
public record RunStopped(int epoch) implements RunEvent {
}
