package org.grokscope.compute.task;

/**
 * The arithmetic rule a run learns: maps each input pair (n, m) in Z_p × Z_p to its label
 * q = f(n, m) mod p. {@link Dataset#of} enumerates it into the full table that the split and the
 * model consume; obtain instances from {@link Tasks#parse}.
 */
public interface Task {
    /** The canonical name: a built-in task name such as {@code "add"}, or the normalised expression text. */
    String name();

    /** The modulus; labels and both inputs lie in [0, p). */
    int p();

    /** False for pairs the task excludes from its dataset (for {@code div}: m == 0). */
    boolean defined(int n, int m);

    /** The label of (n, m), in [0, p); both inputs must lie in [0, p) and the pair must be {@link #defined}. */
    int apply(int n, int m);
}
