package org.grokscope.protocol;

/** Range checks shared by the spec records; each failure names the field and the allowed range. */
final class Checks {
    private Checks() {
    }

    static void range(String field, double v, double lo, boolean loIncl, double hi, boolean hiIncl) {
        boolean ok = Double.isFinite(v) && (loIncl ? v >= lo : v > lo) && (hiIncl ? v <= hi : v < hi);
        if (!ok) {
            String hiText = hi == Double.MAX_VALUE ? "∞" : fmt(hi);
            throw new SpecException(field, "must be in " + (loIncl ? "[" : "(") + fmt(lo) + ", " + hiText
                    + (hiIncl && hi != Double.MAX_VALUE ? "]" : ")") + ", got " + fmt(v));
        }
    }

    static void positive(String field, double v) {
        if (!(Double.isFinite(v) && v > 0)) {
            throw new SpecException(field, "must be a finite number > 0, got " + fmt(v));
        }
    }

    static void intRange(String field, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new SpecException(field, "must be an integer in [" + lo + ", " + hi + "], got " + v);
        }
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
