package org.grokscope.protocol.events;

/** All epochs of the spec were trained; t_fit and t_grok as found (-1: not reached). */
public record RunCompleted(int epoch, int tFit, int tGrok) implements RunEvent {
}
