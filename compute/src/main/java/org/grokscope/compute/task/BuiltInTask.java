package org.grokscope.compute.task;

import java.util.Arrays;
import java.util.List;

/**
 * A task named in a spec by one of the built-in names, e.g. {@code add} or {@code div}. Written
 * out as direct formulas rather than as expressions so that {@code div} can exclude m = 0 and use
 * modular inverses, which the expression language deliberately does not offer.
 */
record BuiltInTask(Kind kind, int p) implements Task {

    /** The built-in formulas, each reducing its operands mod p at every step. */
    enum Kind {
        ADD("add") {
            @Override
            long eval(long n, long m, int p) {
                return (n + m) % p;
            }
        },
        SUB("sub") {
            @Override
            long eval(long n, long m, int p) {
                return (n - m + p) % p;
            }
        },
        MUL("mul") {
            @Override
            long eval(long n, long m, int p) {
                return n * m % p;
            }
        },
        DIV("div") {
            @Override
            long eval(long n, long m, int p) {
                // Fermat: m^(p-2) is the inverse of m, valid because parse admits div only for prime p
                return n * ModArith.pow(m, p - 2L, p) % p;
            }
        },
        SQ_SUM("sq_sum") {
            @Override
            long eval(long n, long m, int p) {
                return (n * n % p + m * m % p) % p;
            }
        },
        SQ_OF_SUM("sq_of_sum") {
            @Override
            long eval(long n, long m, int p) {
                long s = (n + m) % p;
                return s * s % p;
            }
        },
        QUAD("quad") {
            @Override
            long eval(long n, long m, int p) {
                return (n * n % p + n * m % p + m * m % p) % p;
            }
        },
        CUBE("cube") {
            @Override
            long eval(long n, long m, int p) {
                return (n * n % p * n % p + n * m % p * m % p + m) % p;
            }
        };

        static final List<String> NAMES = Arrays.stream(values()).map(Kind::specName).toList();

        private final String specName;

        Kind(String specName) {
            this.specName = specName;
        }

        String specName() {
            return specName;
        }

        /** Operands in [0, p); result in [0, p). */
        abstract long eval(long n, long m, int p);

        /** The kind with exactly this (case-sensitive) name, or null. */
        static Kind byName(String name) {
            for (Kind k : values()) {
                if (k.specName.equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    @Override
    public String name() {
        return kind.specName();
    }

    @Override
    public boolean defined(int n, int m) {
        return kind != Kind.DIV || m != 0;
    }

    @Override
    public int apply(int n, int m) {
        ModArith.checkInput(n, m, p);
        if (!defined(n, m)) {
            throw new IllegalArgumentException(name() + " is undefined at (" + n + ", " + m + ")");
        }
        return (int) kind.eval(n, m, p);
    }
}
