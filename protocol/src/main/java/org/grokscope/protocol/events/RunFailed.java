package org.grokscope.protocol.events;

/** The run ended without completing: "diverged", or the last error once restarts ran out. */
public record RunFailed(int epoch, String reason) implements RunEvent {
    public static final String DIVERGED = "diverged";
}
