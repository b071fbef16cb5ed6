package org.grokscope.protocol;

/**
 * Which compute backend steps a run: {@code cpu} is OpenBLAS plus fused Java loops, {@code naive}
 * the plain-loop twin used as the reference in tests and benchmarks, {@code opencl} Aparapi kernels
 * on an OpenCL device, {@code auto} an OpenCL GPU when there is one, else {@code cpu}.
 */
public enum BackendKind {
    AUTO("auto"), CPU("cpu"), NAIVE("naive"), OPENCL("opencl");

    private final String specName;

    BackendKind(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }

    public static BackendKind parse(String field, String value) {
        return Names.parse(field, value, values(), BackendKind::specName);
    }
}
