package org.grokscope.protocol.events;

/**
 * A process began training the run from {@code epoch}: journaled before the first epochs it
 * computes, on the first start, on every resume and on every recovery after a crash, so the
 * journal says which build and which backend computed each stretch of epochs (results are
 * bit-identical only for the same code, backend and lanes).
 *
 * @param codeVersion version and git commit of the build (see the app's CodeVersion)
 * @param backend     the backend that ran, after {@code auto} was resolved: cpu, opencl, naive
 * @param device      what executed it (BLAS library and threads, or the OpenCL device)
 * @param lanes       the CPU engine's lanes, which fix its summation order
 * @param threads     the CPU engine's threads
 */
public record TrainingSessionStarted(int epoch, String codeVersion, String backend, String device, int lanes,
                                     int threads) implements RunEvent {
}
