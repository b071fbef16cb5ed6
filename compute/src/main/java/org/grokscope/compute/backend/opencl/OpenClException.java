package org.grokscope.compute.backend.opencl;

/**
 * The OpenCL backend was asked for but cannot run as asked: no OpenCL device, or a kernel that
 * Aparapi would have run on its Java thread pool instead. Never caught to fall back silently.
 */
public final class OpenClException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OpenClException(String message) {
        super(message);
    }

    public OpenClException(String message, Throwable cause) {
        super(message, cause);
    }
}
