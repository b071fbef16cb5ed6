package org.grokscope.compute.task;

import java.util.Objects;
import org.grokscope.protocol.SpecException;

/**
 * The table of labelled pairs a run trains and evaluates on: row i is (n[i], m[i]) with label q[i].
 * Column arrays rather than row objects because the model encodes whole columns at once; the arrays
 * are shared, not copied, so callers must treat them as read-only.
 */
public record Dataset(int p, int[] n, int[] m, int[] q) {
    public Dataset {
        Objects.requireNonNull(n, "n");
        Objects.requireNonNull(m, "m");
        Objects.requireNonNull(q, "q");
        if (n.length != m.length || n.length != q.length) {
            throw new IllegalArgumentException("column lengths differ: n " + n.length + ", m " + m.length
                    + ", q " + q.length);
        }
    }

    /** How many pairs the task defines, without building the table: what a spec check needs. */
    public static int size(Task task) {
        int p = task.p();
        long pairs = (long) p * p;
        if (pairs > Integer.MAX_VALUE - 8) {
            throw new SpecException("p", "is too large: p=" + p + " gives " + pairs + " pairs, more than an array holds");
        }
        int count = 0;
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                if (task.defined(a, b)) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Every pair the task defines, ordered by n and then by m. */
    public static Dataset of(Task task) {
        int p = task.p();
        int count = size(task);
        int[] n = new int[count];
        int[] m = new int[count];
        int[] q = new int[count];
        int i = 0;
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                if (task.defined(a, b)) {
                    n[i] = a;
                    m[i] = b;
                    q[i] = task.apply(a, b);
                    i++;
                }
            }
        }
        return new Dataset(p, n, m, q);
    }

    public int size() {
        return n.length;
    }

    /** The rows at {@code indices}, in that order (repeats allowed). */
    public Dataset select(int[] indices) {
        int[] sn = new int[indices.length];
        int[] sm = new int[indices.length];
        int[] sq = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int row = indices[i];
            sn[i] = n[row];
            sm[i] = m[row];
            sq[i] = q[row];
        }
        return new Dataset(p, sn, sm, sq);
    }
}
