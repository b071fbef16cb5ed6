package org.grokscope.compute.task;

/**
 * The modular arithmetic shared by built-in and expression tasks (and the analytic constructions). Every operand is kept in [0, p)
 * with p below 2^31, so a single product stays below 2^62 and plain long arithmetic never overflows.
 */
public final class ModArith {
    private ModArith() {
    }

    /** base^exponent mod p by squaring, for exponent >= 0; x^0 is 1, including 0^0. */
    public static long pow(long base, long exponent, int p) {
        long b = Math.floorMod(base, p);
        long e = exponent;
        long result = 1 % p;
        while (e > 0) {
            if ((e & 1L) != 0) {
                result = result * b % p;
            }
            b = b * b % p;
            e >>>= 1;
        }
        return result;
    }

    public static boolean isPrime(int p) {
        return p >= 2 && smallestFactor(p) == p;
    }

    /** The least prime factor of p >= 2 (p itself when p is prime); trial division suffices since p is small. */
    public static int smallestFactor(int p) {
        for (long d = 2; d * d <= p; d++) {
            if (p % d == 0) {
                return (int) d;
            }
        }
        return p;
    }

    /** Rejects inputs outside Z_p: such a call is a programming error, not a user error. */
    static void checkInput(int n, int m, int p) {
        if (n < 0 || n >= p || m < 0 || m >= p) {
            throw new IllegalArgumentException("inputs must lie in [0, " + p + "), got (" + n + ", " + m + ")");
        }
    }
}
