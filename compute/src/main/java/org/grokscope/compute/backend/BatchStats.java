package org.grokscope.compute.backend;

/** Loss and accuracy over a set of samples, as the forward pass measured them. */
public record BatchStats(double loss, double accuracy, int samples) {
    public boolean finite() {
        return Double.isFinite(loss);
    }
}
