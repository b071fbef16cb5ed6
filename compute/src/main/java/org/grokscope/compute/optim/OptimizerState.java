package org.grokscope.compute.optim;

/**
 * What an optimizer carries between steps, per weight tensor: the first buffer (GD momentum or
 * Adam's first moment) and the second (Adam's second moment), plus the step count. Arrays a
 * method does not use stay zero.
 */
public record OptimizerState(long step, float[] first1, float[] second1, float[] first2, float[] second2) {

    public static OptimizerState zero(int w1Size, int w2Size) {
        return new OptimizerState(0, new float[w1Size], new float[w1Size], new float[w2Size], new float[w2Size]);
    }

    public OptimizerState copy() {
        return new OptimizerState(step, first1.clone(), second1.clone(), first2.clone(), second2.clone());
    }
}
