package org.grokscope.compute.backend;

import org.grokscope.compute.ComputeSettings;
import org.grokscope.protocol.BackendKind;

/** Resolves a spec's backend choice to an implementation available on this machine. */
public final class Backends {
    private Backends() {
    }

    public static Backend create(BackendKind kind, ComputeSettings settings) {
        switch (kind) {
            case NAIVE:
                return new NaiveBackend();
            case AUTO:
            case CPU:
                return new CpuBackend(settings);
            default:
                throw new IllegalArgumentException("no backend for " + kind);
        }
    }
}
