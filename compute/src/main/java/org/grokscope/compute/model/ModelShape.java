package org.grokscope.compute.model;

import org.grokscope.protocol.Activation;
import org.grokscope.protocol.LossKind;
import org.grokscope.protocol.Parametrization;
import org.grokscope.protocol.RunSpec;

/**
 * The sizes and choices that fix the network function f(x) = s·W2·φ(W1·x): p classes, 2p inputs,
 * width N, the activation, the readout scale s (2/N mean-field, 1 standard) and the loss.
 */
public record ModelShape(int p, int width, Activation activation, Parametrization parametrization, LossKind loss) {

    public static ModelShape of(RunSpec spec) {
        return new ModelShape(spec.p(), spec.width(), spec.activation(), spec.parametrization(), spec.loss());
    }

    /** Number of inputs (two one-hot blocks). */
    public int inputs() {
        return 2 * p;
    }

    /** The readout factor s in out = s·W2·z. */
    public float readoutScale() {
        return parametrization == Parametrization.MEAN_FIELD ? 2.0f / width : 1.0f;
    }

    public int w1Size() {
        return 2 * p * width;
    }

    public int w2Size() {
        return p * width;
    }
}
