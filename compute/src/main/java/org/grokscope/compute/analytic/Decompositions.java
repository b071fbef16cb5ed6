package org.grokscope.compute.analytic;

import java.util.ArrayList;
import java.util.List;
import org.grokscope.compute.task.ModArith;
import org.grokscope.compute.task.Task;
import org.grokscope.protocol.SpecException;

/**
 * Finds, from a task's table alone, a way to write it as q = F(f1(n) + f2(m)) so that the
 * analytic weights apply. Working on the table rather than on task names treats built-ins and
 * expressions alike and cannot disagree with the labels the model is scored on. Tried in order:
 * <ol>
 * <li>additive separability f(n, m) = f(n, 0) + f(0, m) − f(0, 0) over Z_p (F = identity:
 *     add, sub, sq_sum, any An + Bm + C, 3n² + 5m + 1, ...);</li>
 * <li>F(a·n^e + c·m^e) with e ≤ 3 and one of a, c equal to 1, F any table: (n+m)², (n−m)³, ...;</li>
 * <li>for prime p, F(a·log n + c·log m) over Z_{p−1} with discrete logs to the smallest primitive
 *     root, the zero row and column absorbing: mul (F = exp), div (c = −1), ....</li>
 * </ol>
 * Anything else (quad, cube, ...) gets a {@link SpecException} naming what was tried.
 */
public final class Decompositions {
    private static final int MAX_POWER = 3;

    private Decompositions() {
    }

    /** The decomposition of the task, or a SpecException (field {@code task}) when none is recognised. */
    public static Decomposition find(Task task) {
        int p = task.p();
        int[][] table = table(task);
        Decomposition d = additive(p, table);
        if (d == null) {
            d = outerFunction(p, table);
        }
        if (d == null && ModArith.isPrime(p) && p >= 3) {
            d = logarithmic(p, table);
        }
        if (d == null) {
            throw new SpecException("task", task.name() + " has no analytic construction: it is not of the form"
                    + " F(f1(n) + f2(m)) mod " + p + " (tried additive separability, F(a*n^e + c*m^e) for e <= "
                    + MAX_POWER + (ModArith.isPrime(p) ? ", F(a*log n + c*log m) with the zero row and column absorbing"
                    : "; logarithms need a prime p") + ")");
        }
        if (d.modulus() < 2) {
            throw new SpecException("p", "is too small for an analytic construction of " + task.name()
                    + ": its Fourier features would live on Z_" + d.modulus());
        }
        return d;
    }

    /** The labels, -1 where the task is undefined. */
    static int[][] table(Task task) {
        int p = task.p();
        int[][] t = new int[p][p];
        for (int n = 0; n < p; n++) {
            for (int m = 0; m < p; m++) {
                t[n][m] = task.defined(n, m) ? task.apply(n, m) : -1;
            }
        }
        return t;
    }

    private static boolean total(int[][] t) {
        for (int[] row : t) {
            for (int v : row) {
                if (v < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    static Decomposition additive(int p, int[][] t) {
        if (!total(t)) {
            return null;
        }
        int[] f1 = new int[p];
        int[] f2 = new int[p];
        for (int i = 0; i < p; i++) {
            f1[i] = Math.floorMod(t[i][0] - t[0][0], p);
            f2[i] = t[0][i];
        }
        for (int n = 0; n < p; n++) {
            for (int m = 0; m < p; m++) {
                if ((f1[n] + f2[m]) % p != t[n][m]) {
                    return null;
                }
            }
        }
        int[][] pre = new int[p][];
        for (int q = 0; q < p; q++) {
            pre[q] = new int[] {q};
        }
        return new Decomposition("f1(n) + f2(m) with f1(n) = f(n,0) - f(0,0), f2(m) = f(0,m)", p, p, f1, f2, pre,
                false, false, -1);
    }

    static Decomposition outerFunction(int p, int[][] t) {
        if (!total(t)) {
            return null;
        }
        for (int e = 1; e <= MAX_POWER; e++) {
            int[] u = new int[p];
            for (int i = 0; i < p; i++) {
                u[i] = (int) ModArith.pow(i, e, p);
            }
            String x = e == 1 ? "n" : "n^" + e;
            String y = e == 1 ? "m" : "m^" + e;
            for (int c = 1; c < p; c++) {
                Decomposition d = tryInner(p, t, p, scaled(u, 1, p), scaled(u, c, p), "F(" + x + " + " + c + "*" + y + ")",
                        false, false, -1);
                if (d == null && c > 1) {
                    d = tryInner(p, t, p, scaled(u, c, p), scaled(u, 1, p), "F(" + c + "*" + x + " + " + y + ")",
                            false, false, -1);
                }
                if (d != null) {
                    return d;
                }
            }
        }
        return null;
    }

    static Decomposition logarithmic(int p, int[][] t) {
        int mod = p - 1;
        int g = primitiveRoot(p);
        int[] log = new int[p];
        log[0] = Decomposition.NONE;
        long x = 1;
        for (int k = 0; k < mod; k++) {
            log[(int) x] = k;
            x = x * g % p;
        }
        int rowLabel = constantLabel(t, true);
        int colLabel = constantLabel(t, false);
        if (rowLabel == -2 || colLabel == -2 || (rowLabel >= 0 && colLabel >= 0 && rowLabel != colLabel)) {
            return null;
        }
        int absorbed = Math.max(rowLabel, colLabel);
        for (int c = 0; c < mod; c++) {
            String form = "F(log n + " + c + "*log m) over Z_" + mod + ", logs to base " + g;
            Decomposition d = tryInner(p, t, mod, scaled(log, 1, mod), scaled(log, c, mod), form,
                    rowLabel >= 0, colLabel >= 0, absorbed);
            if (d == null && c != 1) {
                d = tryInner(p, t, mod, scaled(log, c, mod), scaled(log, 1, mod),
                        "F(" + c + "*log n + log m) over Z_" + mod + ", logs to base " + g,
                        rowLabel >= 0, colLabel >= 0, absorbed);
            }
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    /**
     * The label shared by every defined pair of the zero row (row = true: n = 0) or column; -1
     * when the row has no defined pair, -2 when its labels differ.
     */
    private static int constantLabel(int[][] t, boolean row) {
        int label = -1;
        for (int i = 0; i < t.length; i++) {
            int v = row ? t[0][i] : t[i][0];
            if (v < 0) {
                continue;
            }
            if (label >= 0 && v != label) {
                return -2;
            }
            label = v;
        }
        return label;
    }

    /** a·v mod M, NONE kept. */
    private static int[] scaled(int[] v, int a, int mod) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i] == Decomposition.NONE ? Decomposition.NONE : (int) ((long) a * v[i] % mod);
        }
        return r;
    }

    /**
     * Is the label a function F of s = f1(n) + f2(m) mod M on every defined pair where both have
     * an embedding? Pairs with an absorbing operand must carry the absorbed label; then F is read
     * off the table and inverted into preimages.
     */
    private static Decomposition tryInner(int p, int[][] t, int mod, int[] f1, int[] f2, String form,
                                          boolean absorbingN, boolean absorbingM, int absorbed) {
        int[] outer = new int[mod];
        java.util.Arrays.fill(outer, -1);
        for (int n = 0; n < p; n++) {
            for (int m = 0; m < p; m++) {
                int label = t[n][m];
                if (label < 0) {
                    continue;
                }
                if (f1[n] == Decomposition.NONE || f2[m] == Decomposition.NONE) {
                    boolean absorbedHere = (f1[n] == Decomposition.NONE && absorbingN)
                            || (f2[m] == Decomposition.NONE && absorbingM);
                    if (!absorbedHere || label != absorbed) {
                        return null;
                    }
                    continue;
                }
                int s = (f1[n] + f2[m]) % mod;
                if (outer[s] < 0) {
                    outer[s] = label;
                } else if (outer[s] != label) {
                    return null;
                }
            }
        }
        List<List<Integer>> pre = new ArrayList<>();
        for (int q = 0; q < p; q++) {
            pre.add(new ArrayList<>());
        }
        for (int s = 0; s < mod; s++) {
            if (outer[s] >= 0) {
                pre.get(outer[s]).add(s);
            }
        }
        int[][] preimages = new int[p][];
        int branches = 0;
        for (int q = 0; q < p; q++) {
            preimages[q] = pre.get(q).stream().mapToInt(Integer::intValue).toArray();
            branches = Math.max(branches, preimages[q].length);
        }
        return new Decomposition(form + ", F^-1 with " + branches + (branches == 1 ? " branch" : " branches"), p, mod,
                f1, f2, preimages, absorbingN, absorbingM, absorbed);
    }

    /** The smallest generator of Z_p* for prime p. */
    static int primitiveRoot(int p) {
        int order = p - 1;
        List<Integer> factors = new ArrayList<>();
        int rest = order;
        for (int d = 2; (long) d * d <= rest; d++) {
            if (rest % d == 0) {
                factors.add(d);
                while (rest % d == 0) {
                    rest /= d;
                }
            }
        }
        if (rest > 1) {
            factors.add(rest);
        }
        for (int g = 1; g < p; g++) {
            boolean generator = true;
            for (int f : factors) {
                if (ModArith.pow(g, order / f, p) == 1) {
                    generator = false;
                    break;
                }
            }
            if (generator) {
                return g;
            }
        }
        throw new IllegalStateException("no primitive root mod " + p);
    }
}
