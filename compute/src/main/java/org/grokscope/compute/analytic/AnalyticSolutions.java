package org.grokscope.compute.analytic;

import org.grokscope.compute.model.Activations;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.rng.SplitMix64;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.SpecException;

/**
 * Gromov's analytic weights (SCIENCE.md §7). Modular addition with quadratic φ: neuron k on
 * frequency ν_k = 1 + (k mod ⌊(p−1)/2⌋), W1[k, n] = cos(2πν_k n/p + φ1_k),
 * W1[k, p+m] = cos(2πν_k m/p + φ2_k), W2[q, k] = cos(−2πν_k q/p − φ3_k), φ1, φ2 ~ U(0, 2π),
 * φ3 = φ1 + φ2. The same weights serve other activations at larger width.
 *
 * <p>{@link #build} generalises this to any {@link Decomposition} q = F(f1(n) + f2(m)) over Z_M
 * (Claim II: n → f1(n), m → f2(m) in W1; Corollary: row q of W2 reads F⁻¹(q)), with two choices
 * of ours: W2 is scaled so that the output approximates the one-hot target for the activation at
 * hand (the argmax does not care, the loss does), and absorbing inputs (n = 0 or m = 0 of n·m,
 * which has no logarithm) get one detector neuron each. A detector's W1 column is a at its zero
 * input and 0 elsewhere, so φ(h) = φ(a) fires only there (φ(0) = 0 for every activation offered),
 * and its W2 column votes for the absorbed label alone. The Fourier neurons embed an absorbing
 * input as 0, so they add only phase noise to those rows. {@link #addition} stays the paper's
 * literal formula, unscaled: the twin {@code build} is tested against.
 */
public final class AnalyticSolutions {
    private AnalyticSolutions() {
    }

    public static Weights addition(ModelShape shape, long seed) {
        int p = shape.p();
        int n = shape.width();
        int frequencies = Math.max(1, (p - 1) / 2);
        SplitMix64 rng = new SplitMix64(seed);
        float[] w1 = new float[n * 2 * p];
        float[] w2 = new float[p * n];
        for (int k = 0; k < n; k++) {
            int nu = 1 + (k % frequencies);
            double phi1 = 2.0 * Math.PI * rng.nextDouble();
            double phi2 = 2.0 * Math.PI * rng.nextDouble();
            double phi3 = phi1 + phi2;
            for (int i = 0; i < p; i++) {
                double angle = 2.0 * Math.PI * nu * i / p;
                w1[k * 2 * p + i] = (float) Math.cos(angle + phi1);
                w1[k * 2 * p + p + i] = (float) Math.cos(angle + phi2);
                w2[i * n + k] = (float) Math.cos(-angle - phi3);
            }
        }
        return Weights.fromPaperLayout(shape, w1, w2);
    }

    /**
     * Weights for the decomposed task: width − detectorNeurons() Fourier neurons on frequencies
     * ν_k = 1 + (k mod ⌊(M−1)/2⌋) with random phases φ1, φ2 from {@code seed} (drawn in the same
     * order as {@link #addition}) and φ3 = φ1 + φ2, then the detector neurons.
     */
    public static Weights build(Decomposition d, ModelShape shape, long seed, AnalyticSettings settings) {
        int p = shape.p();
        int n = shape.width();
        if (d.p() != p) {
            throw new IllegalArgumentException("decomposition for p=" + d.p() + ", shape for p=" + p);
        }
        int detectors = d.detectorNeurons();
        int fourier = n - detectors;
        if (fourier < 1) {
            throw new SpecException("width", "must be at least " + (detectors + 1) + " for this task (" + detectors
                    + " zero-detector neurons and at least one Fourier neuron), got " + n);
        }
        int mod = d.modulus();
        int frequencies = Math.max(1, (mod - 1) / 2);
        double a = settings.w1Amplitude();
        double gain = gain(shape.activation(), a, settings.gainQuadrature());
        if (Math.abs(gain) < 1e-9 * Math.max(1.0, Math.abs(Activations.phi(shape.activation(), 2 * a)))) {
            throw new SpecException("activation", shape.activation().specName() + " has no cos(A+B) component"
                    + " (it is linear or odd), so no readout can see f1(n) + f2(m): use quad, relu or gelu");
        }
        // out = s·W2·z, and z_k carries gain·cos(θ_n + θ_m + φ3): this λ puts the peak output at 1
        double lambda = 2.0 / (gain * shape.readoutScale() * fourier);
        SplitMix64 rng = new SplitMix64(seed);
        float[] w1 = new float[n * 2 * p];
        float[] w2 = new float[p * n];
        for (int k = 0; k < fourier; k++) {
            int nu = 1 + (k % frequencies);
            double phi1 = 2.0 * Math.PI * rng.nextDouble();
            double phi2 = 2.0 * Math.PI * rng.nextDouble();
            double phi3 = phi1 + phi2;
            double step = 2.0 * Math.PI * nu / mod;
            for (int i = 0; i < p; i++) {
                w1[k * 2 * p + i] = d.f1()[i] == Decomposition.NONE ? 0f : (float) (a * Math.cos(step * d.f1()[i] + phi1));
                w1[k * 2 * p + p + i] = d.f2()[i] == Decomposition.NONE ? 0f
                        : (float) (a * Math.cos(step * d.f2()[i] + phi2));
            }
            for (int q = 0; q < p; q++) {
                int[] branches = d.preimages()[q];
                int used = settings.readout() == AnalyticSettings.Readout.ONE_BRANCH ? Math.min(1, branches.length)
                        : branches.length;
                double sum = 0.0;
                for (int b = 0; b < used; b++) {
                    sum += Math.cos(-step * branches[b] - phi3);
                }
                w2[q * n + k] = (float) (lambda * sum);
            }
        }
        double fired = Activations.phi(shape.activation(), a);
        if (detectors > 0 && !(fired > 0)) {
            throw new SpecException("activation", shape.activation().specName() + "(a) is not positive at a = " + a
                    + ": the zero-detector neurons cannot fire");
        }
        int k = fourier;
        for (int operand = 0; operand < 2; operand++) {
            boolean absorbing = operand == 0 ? d.absorbingN() : d.absorbingM();
            if (!absorbing) {
                continue;
            }
            w1[k * 2 * p + operand * p] = (float) a;
            w2[d.absorbedLabel() * n + k] = (float) (settings.zeroVote() / (shape.readoutScale() * fired));
            k++;
        }
        return Weights.fromPaperLayout(shape, w1, w2);
    }

    /**
     * The coefficient of cos(A+B) in φ(a·(cos A + cos B)), 2·E[φ(a(cos A + cos B))·cos(A+B)] over
     * uniform angles, by the trapezoid rule on a q×q periodic grid (exact for trigonometric
     * polynomials of degree below q, fast for the rest). 1 for quad at a = 1.
     */
    static double gain(Activation act, double a, int q) {
        double sum = 0.0;
        for (int i = 0; i < q; i++) {
            double x = 2.0 * Math.PI * i / q;
            for (int j = 0; j < q; j++) {
                double y = 2.0 * Math.PI * j / q;
                sum += Activations.phi(act, a * (Math.cos(x) + Math.cos(y))) * Math.cos(x + y);
            }
        }
        return 2.0 * sum / ((double) q * q);
    }
}
