package org.grokscope.compute.analytic;

/**
 * A task written as q = F(f1(n) + f2(m)) over the cyclic group Z_M (Gromov Claim II and its
 * Corollary; SCIENCE.md §7): what {@link AnalyticSolutions#build} turns into weights. M is p for
 * the additive forms and p−1 for the multiplicative ones, whose f1, f2 are discrete logarithms.
 *
 * <p>An input without a logarithm (n = 0 in n·m) is <em>absorbing</em>: it alone fixes the label
 * to {@code absorbedLabel}. Its entry in f1 or f2 is {@link #NONE}, and the construction gives it
 * a detector neuron instead of a Fourier embedding. Inputs the task never uses (m = 0 in div) are
 * NONE without being absorbing.
 *
 * @param form          human-readable description, e.g. {@code "F(n + 1·m), F with 2 branches"}
 * @param p             the task's modulus (number of classes and of values per operand)
 * @param modulus       M, the order of the group the Fourier features live on
 * @param f1            f1(n) in [0, M) for n in [0, p), or NONE
 * @param f2            f2(m) in [0, M) for m in [0, p), or NONE
 * @param preimages     for each class q, the residues r in Z_M with F(r) = q (ascending; empty
 *                      when q is not in F's image). Several entries are the branches of F⁻¹.
 * @param absorbingN    n = 0 fixes the label to absorbedLabel
 * @param absorbingM    m = 0 fixes the label to absorbedLabel
 * @param absorbedLabel the label of absorbing inputs, or -1 when there are none
 */
public record Decomposition(String form, int p, int modulus, int[] f1, int[] f2, int[][] preimages,
                            boolean absorbingN, boolean absorbingM, int absorbedLabel) {
    /** An operand value without a Fourier embedding (absorbing or never used). */
    public static final int NONE = -1;

    /** The most branches F⁻¹ has at any class; the Corollary predicts ≈ 1/b accuracy with one branch. */
    public int branches() {
        int b = 0;
        for (int[] r : preimages) {
            b = Math.max(b, r.length);
        }
        return b;
    }

    /** Detector neurons the construction needs besides the Fourier ones. */
    public int detectorNeurons() {
        return (absorbingN ? 1 : 0) + (absorbingM ? 1 : 0);
    }
}
