package org.grokscope.compute.backend;

import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.backend.opencl.OpenClBackend;
import org.grokscope.compute.backend.opencl.OpenClDevices;
import org.grokscope.protocol.BackendKind;

/**
 * Resolves a spec's backend choice to an implementation available on this machine: {@code auto}
 * takes an OpenCL GPU when there is one, else the CPU backend; {@code opencl} fails when no OpenCL
 * device is present rather than running somewhere else.
 */
public final class Backends {
    private Backends() {
    }

    public static Backend create(BackendKind kind, ComputeSettings settings) {
        switch (kind) {
            case NAIVE:
                return new NaiveBackend();
            case AUTO:
                return OpenClDevices.hasGpu(settings.opencl()) ? new OpenClBackend(settings.opencl()) : new CpuBackend(settings);
            case CPU:
                return new CpuBackend(settings);
            case OPENCL:
                return new OpenClBackend(settings.opencl());
            default:
                throw new IllegalArgumentException("no backend for " + kind);
        }
    }
}
