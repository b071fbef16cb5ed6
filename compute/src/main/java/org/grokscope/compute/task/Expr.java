package org.grokscope.compute.task;

import java.math.BigInteger;

/**
 * The syntax tree of a task expression as built by {@link ExpressionParser}. It evaluates mod p,
 * reducing after every operation, and prints itself back with the fewest parentheses that keep
 * its structure, which is the normalised text used as the task's name.
 */
sealed interface Expr {
    int PREC_SUM = 1;
    int PREC_PRODUCT = 2;
    int PREC_NEGATION = 3;
    int PREC_POWER = 4;
    int PREC_ATOM = 5;

    /** The value mod p, in [0, p), for n and m in [0, p). */
    long eval(long n, long m, int p);

    /** Binding strength of the outermost operator; a child weaker than its slot needs parentheses. */
    int precedence();

    void print(StringBuilder out);

    static void print(Expr child, int minPrecedence, StringBuilder out) {
        if (child.precedence() < minPrecedence) {
            out.append('(');
            child.print(out);
            out.append(')');
        } else {
            child.print(out);
        }
    }

    /** A non-negative integer literal; the literal is kept for printing, its residue for evaluation. */
    record Constant(BigInteger literal, long residue) implements Expr {
        @Override
        public long eval(long n, long m, int p) {
            return residue;
        }

        @Override
        public int precedence() {
            return PREC_ATOM;
        }

        @Override
        public void print(StringBuilder out) {
            out.append(literal);
        }
    }

    /** The input n (first = true) or m. */
    record Variable(boolean first) implements Expr {
        @Override
        public long eval(long n, long m, int p) {
            return first ? n : m;
        }

        @Override
        public int precedence() {
            return PREC_ATOM;
        }

        @Override
        public void print(StringBuilder out) {
            out.append(first ? 'n' : 'm');
        }
    }

    record Negation(Expr operand) implements Expr {
        @Override
        public long eval(long n, long m, int p) {
            return (p - operand.eval(n, m, p)) % p;
        }

        @Override
        public int precedence() {
            return PREC_NEGATION;
        }

        @Override
        public void print(StringBuilder out) {
            out.append('-');
            Expr.print(operand, PREC_NEGATION, out);
        }
    }

    /** {@code +}, {@code -} or {@code *}; all three are left-associative. */
    record Binary(char op, Expr left, Expr right) implements Expr {
        @Override
        public long eval(long n, long m, int p) {
            long a = left.eval(n, m, p);
            long b = right.eval(n, m, p);
            return switch (op) {
                case '+' -> (a + b) % p;
                case '-' -> (a - b + p) % p;
                case '*' -> a * b % p;
                default -> throw new IllegalStateException("operator " + op);
            };
        }

        @Override
        public int precedence() {
            return op == '*' ? PREC_PRODUCT : PREC_SUM;
        }

        @Override
        public void print(StringBuilder out) {
            int prec = precedence();
            // the right operand needs a strictly stronger binding so "n - (m - 1)" keeps its parentheses
            Expr.print(left, prec, out);
            out.append(op == '*' ? "*" : " " + op + " ");
            Expr.print(right, prec + 1, out);
        }
    }

    /** base^exponent with a constant exponent in [0, 10^18]. */
    record Power(Expr base, long exponent) implements Expr {
        @Override
        public long eval(long n, long m, int p) {
            return ModArith.pow(base.eval(n, m, p), exponent, p);
        }

        @Override
        public int precedence() {
            return PREC_POWER;
        }

        @Override
        public void print(StringBuilder out) {
            Expr.print(base, PREC_ATOM, out);
            out.append('^').append(exponent);
        }
    }
}
