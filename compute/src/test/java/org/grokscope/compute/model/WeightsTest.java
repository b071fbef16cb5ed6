package org.grokscope.compute.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grokscope.compute.rng.SplitMix64;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.LossKind;
import org.grokscope.protocol.Parametrization;
import org.junit.jupiter.api.Test;

class WeightsTest {
    private static ModelShape shape(Parametrization pz) {
        return new ModelShape(7, 5, Activation.QUAD, pz, LossKind.MSE);
    }

    @Test
    void initDrawsW1InThePapersRowMajorOrderThenW2() {
        for (Parametrization pz : Parametrization.values()) {
            ModelShape s = shape(pz);
            Weights w = Weights.init(s, 42);
            SplitMix64 rng = new SplitMix64(42);
            double s1 = pz == Parametrization.STANDARD ? 1.0 / Math.sqrt(14) : 1.0;
            double s2 = pz == Parametrization.STANDARD ? 1.0 / Math.sqrt(5) : 1.0;
            float[] w1 = w.w1();
            for (int k = 0; k < 5; k++) {
                for (int j = 0; j < 14; j++) {
                    float expected = (float) (s1 * rng.nextGaussian());
                    assertEquals(expected, w1[k * 14 + j], 0.0f, "W1[" + k + "," + j + "]");
                    assertEquals(expected, w.w1t()[j * 5 + k], 0.0f, "w1t[" + j + "," + k + "]");
                }
            }
            for (int i = 0; i < s.w2Size(); i++) {
                assertEquals((float) (s2 * rng.nextGaussian()), w.w2()[i], 0.0f, "W2 flat " + i);
            }
        }
    }

    /**
     * Init scales: mean-field N(0,1), standard N(0, 1/fan_in). With 2p·N = 20000 draws the sample
     * variance has relative standard error √(2/20000) = 1%; 5% is a 5σ bound.
     */
    @Test
    void initScalesFollowTheParametrization() {
        int p = 50;
        int n = 200;
        for (Parametrization pz : Parametrization.values()) {
            Weights w = Weights.init(new ModelShape(p, n, Activation.RELU, pz, LossKind.CSE), 3);
            double v1 = 0;
            for (float x : w.w1t()) {
                v1 += (double) x * x;
            }
            v1 /= w.w1t().length;
            double v2 = 0;
            for (float x : w.w2()) {
                v2 += (double) x * x;
            }
            v2 /= w.w2().length;
            double e1 = pz == Parametrization.STANDARD ? 1.0 / (2 * p) : 1.0;
            double e2 = pz == Parametrization.STANDARD ? 1.0 / n : 1.0;
            assertEquals(e1, v1, 0.05 * e1, pz + " W1 variance");
            assertEquals(e2, v2, 0.05 * e2, pz + " W2 variance");
        }
    }

    @Test
    void copyIsDeepAndSameBitsComparesContents() {
        Weights a = Weights.init(shape(Parametrization.MEAN_FIELD), 1);
        Weights b = a.copy();
        assertNotSame(a.w1t(), b.w1t());
        assertTrue(a.sameBits(b));
        b.w2()[3] = Math.nextUp(b.w2()[3]);
        assertFalse(a.sameBits(b));
        assertFalse(Weights.init(shape(Parametrization.MEAN_FIELD), 2).sameBits(a));
    }

    @Test
    void shapeSizesAndReadoutScale() {
        ModelShape mf = shape(Parametrization.MEAN_FIELD);
        assertEquals(14, mf.inputs());
        assertEquals(70, mf.w1Size());
        assertEquals(35, mf.w2Size());
        assertEquals(0.4f, mf.readoutScale(), 0.0f);
        assertEquals(1.0f, shape(Parametrization.STANDARD).readoutScale(), 0.0f);
        assertThrows(IllegalArgumentException.class, () -> new Weights(mf, new float[69], new float[35]));
    }
}
