package org.grokscope.compute.rng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SplitMix64Test {
    /**
     * Computed independently in Python from the published algorithm (Steele, Lea, Flood 2014;
     * Vigna's splitmix64.c): s += 0x9E3779B97F4A7C15; z = (s ^ (s >>> 30)) * 0xBF58476D1CE4E5B9;
     * z = (z ^ (z >>> 27)) * 0x94D049BB133111EB; return z ^ (z >>> 31), all mod 2⁶⁴.
     * 0xE220A8397B1DCDAF is also the well-known first output for seed 0.
     */
    @Test
    void firstOutputsForSeedZeroMatchThePublishedAlgorithm() {
        SplitMix64 rng = new SplitMix64(0);
        long[] expected = {0xE220A8397B1DCDAFL, 0x6E789E6AA1B965F4L, 0x06C45D188009454FL, 0xF88BB8A8724C81ECL,
            0x1B39896A51A8749BL};
        for (long e : expected) {
            assertEquals(e, rng.nextLong());
        }
    }

    @Test
    void firstOutputsForAnotherSeed() {
        SplitMix64 rng = new SplitMix64(1234567);
        assertEquals(6457827717110365317L, rng.nextLong());
        assertEquals(3203168211198807973L, rng.nextLong());
        assertEquals(-8629252141511181193L, rng.nextLong());
    }

    @Test
    void nextDoubleIsTheTop53BitsScaled() {
        SplitMix64 a = new SplitMix64(99);
        SplitMix64 b = new SplitMix64(99);
        for (int i = 0; i < 1000; i++) {
            double d = a.nextDouble();
            assertTrue(d >= 0.0 && d < 1.0);
            assertEquals((b.nextLong() >>> 11) / 9007199254740992.0, d, 0.0);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 10, 97, 1000, Integer.MAX_VALUE})
    void nextIntStaysInBounds(int bound) {
        SplitMix64 rng = new SplitMix64(bound);
        for (int i = 0; i < 20_000; i++) {
            int v = rng.nextInt(bound);
            assertTrue(v >= 0 && v < bound, "out of range: " + v);
        }
    }

    @Test
    void nextIntRejectsNonPositiveBounds() {
        SplitMix64 rng = new SplitMix64(0);
        assertThrows(IllegalArgumentException.class, () -> rng.nextInt(0));
        assertThrows(IllegalArgumentException.class, () -> rng.nextInt(-5));
    }

    /**
     * Chi-square goodness of fit to the uniform distribution. With 10 cells (9 degrees of freedom)
     * the statistic has mean 9 and standard deviation √18 ≈ 4.2; P(χ²₉ > 33.7) = 1e-4, so a
     * bound of 34 is loose for a correct generator (and the seeds are fixed, so the test is
     * deterministic) but catches modulo bias or a stuck bit, which blow up the statistic.
     */
    @ParameterizedTest
    @ValueSource(ints = {10, 7})
    void nextIntIsUniform(int bound) {
        SplitMix64 rng = new SplitMix64(2024 + bound);
        int draws = 100_000;
        long[] counts = new long[bound];
        for (int i = 0; i < draws; i++) {
            counts[rng.nextInt(bound)]++;
        }
        double expected = (double) draws / bound;
        double chi2 = 0.0;
        for (long c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        // critical values at 1e-4: χ²₉ 33.7, χ²₆ 27.9
        double limit = bound == 10 ? 34.0 : 28.0;
        assertTrue(chi2 < limit, "chi-square " + chi2 + " for bound " + bound + ": " + Arrays.toString(counts));
    }

    /**
     * A bound of 3·2³⁰ takes 64-bit draws mod bound; a modulo-biased implementation (r mod bound on
     * 31 bits, say) would over-fill the lower third. The fraction below bound/3 should be 1/3 ± 3σ
     * with σ = √(pq/n) ≈ 0.0015 for n = 100000.
     */
    @Test
    void largeBoundHasNoVisibleBias() {
        int bound = 3 << 29;
        SplitMix64 rng = new SplitMix64(5);
        int n = 100_000;
        int low = 0;
        for (int i = 0; i < n; i++) {
            if (rng.nextInt(bound) < bound / 3) {
                low++;
            }
        }
        assertEquals(1.0 / 3.0, (double) low / n, 5 * Math.sqrt(2.0 / 9.0 / n));
    }

    /**
     * Mean and variance of 200000 draws: standard errors are 1/√n ≈ 0.0022 for the mean and
     * √(2/n) ≈ 0.0032 for the variance; 5σ bounds never trip for a correct generator.
     * Also a tail check: P(|Z| > 2) = 0.0455, standard error ≈ 0.00047.
     */
    @Test
    void gaussianHasMeanZeroAndUnitVariance() {
        SplitMix64 rng = new SplitMix64(77);
        int n = 200_000;
        double sum = 0.0;
        double sumSq = 0.0;
        int tail = 0;
        for (int i = 0; i < n; i++) {
            double g = rng.nextGaussian();
            sum += g;
            sumSq += g * g;
            if (Math.abs(g) > 2.0) {
                tail++;
            }
        }
        double mean = sum / n;
        double var = sumSq / n - mean * mean;
        assertEquals(0.0, mean, 5.0 / Math.sqrt(n), "mean");
        assertEquals(1.0, var, 5.0 * Math.sqrt(2.0 / n), "variance");
        assertEquals(0.0455, (double) tail / n, 5 * Math.sqrt(0.0455 * 0.9545 / n), "tail mass beyond 2σ");
    }

    /** Box–Muller from two uniforms: the cosine value first, then the sine value from the same pair. */
    @Test
    void gaussianIsBoxMullerOnPairsOfUniforms() {
        SplitMix64 rng = new SplitMix64(8);
        SplitMix64 uniforms = new SplitMix64(8);
        for (int i = 0; i < 100; i++) {
            double u1 = uniforms.nextDouble();
            double u2 = uniforms.nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            // StrictMath vs Math may differ by an ulp or two
            assertEquals(r * Math.cos(2 * Math.PI * u2), rng.nextGaussian(), 1e-12);
            assertEquals(r * Math.sin(2 * Math.PI * u2), rng.nextGaussian(), 1e-12);
        }
    }

    @Test
    void shuffleIsASeededPermutation() {
        int[] a = new int[50];
        Arrays.setAll(a, i -> i);
        int[] b = a.clone();
        new SplitMix64(3).shuffle(a);
        new SplitMix64(3).shuffle(b);
        assertArrayEquals(a, b, "same seed, same order");
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        int[] identity = new int[50];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, sorted, "a permutation");
        assertNotEquals(Arrays.toString(identity), Arrays.toString(a), "actually shuffled");
        int[] c = identity.clone();
        new SplitMix64(4).shuffle(c);
        assertNotEquals(Arrays.toString(a), Arrays.toString(c), "another seed, another order");
    }

    /**
     * Fisher–Yates with an unbiased nextInt makes all 3! orders of 3 elements equally likely:
     * 60000 shuffles, 10000 expected each, σ ≈ 91; χ²₅ < 25 (P ≈ 1.4e-4).
     */
    @Test
    void shuffleOfThreeIsUniformOverPermutations() {
        SplitMix64 rng = new SplitMix64(12);
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        int n = 60_000;
        for (int i = 0; i < n; i++) {
            int[] a = {0, 1, 2};
            rng.shuffle(a);
            counts.merge(Arrays.toString(a), 1, Integer::sum);
        }
        assertEquals(6, counts.size());
        double chi2 = 0.0;
        for (int c : counts.values()) {
            chi2 += (c - n / 6.0) * (c - n / 6.0) / (n / 6.0);
        }
        assertTrue(chi2 < 25, "chi-square " + chi2 + " " + counts);
    }
}
