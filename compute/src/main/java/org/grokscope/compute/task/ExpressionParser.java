package org.grokscope.compute.task;

import java.math.BigInteger;
import java.util.Locale;
import org.grokscope.protocol.SpecException;

/**
 * Reads a task expression such as {@code "3*n^2 + 5*m + 1"} into an {@link ExpressionTask} by
 * recursive descent, never through a script engine. Grammar, loosest binding first:
 *
 * <pre>
 * sum      := product (('+' | '-') product)*
 * product  := unary ('*' unary)*
 * unary    := '-' unary | power
 * power    := primary ('^' exponent)?
 * exponent := integer ('^' exponent)?          right-associative, evaluated exactly, at most 10^18
 * primary  := integer | 'n' | 'm' | '(' sum ')'
 * </pre>
 *
 * So {@code -n^2} is {@code -(n^2)} and {@code 2^3^2} is {@code 2^9}. Each rejection is one line
 * that names the 1-based column of the offending character, since a spec is edited by hand.
 */
final class ExpressionParser {
    /** Bounds the recursion of parsing, evaluation and printing, so a hostile spec cannot overflow the stack. */
    static final int MAX_LENGTH = 4096;
    static final int MAX_NESTING = 200;
    static final long MAX_EXPONENT = 1_000_000_000_000_000_000L;

    private static final String OPERAND = "expected a number, n, m or '('";
    private static final BigInteger MAX_EXPONENT_BIG = BigInteger.valueOf(MAX_EXPONENT);

    private final String src;
    private final int p;
    private final BigInteger bigP;
    private int pos;
    private int nesting;

    private ExpressionParser(String src, int p) {
        this.src = src;
        this.p = p;
        this.bigP = BigInteger.valueOf(p);
    }

    /** Parses a non-blank {@code spec} for modulus {@code p >= 2}; errors use field {@code task}. */
    static ExpressionTask parse(String spec, int p) {
        if (spec.length() > MAX_LENGTH) {
            throw new SpecException("task", "expression is " + spec.length() + " characters long; the limit is "
                    + MAX_LENGTH);
        }
        ExpressionParser parser = new ExpressionParser(spec, p);
        Expr root = parser.parseSum();
        parser.skipWhitespace();
        if (!parser.atEnd()) {
            throw parser.afterOperand("end of input");
        }
        StringBuilder name = new StringBuilder();
        root.print(name);
        return new ExpressionTask(name.toString(), p, root);
    }

    private Expr parseSum() {
        Expr left = parseProduct();
        while (true) {
            skipWhitespace();
            if (atEnd() || (peek() != '+' && peek() != '-')) {
                return left;
            }
            char op = src.charAt(pos++);
            left = new Expr.Binary(op, left, parseProduct());
        }
    }

    private Expr parseProduct() {
        Expr left = parseUnary();
        while (true) {
            skipWhitespace();
            if (atEnd() || peek() != '*') {
                return left;
            }
            pos++;
            left = new Expr.Binary('*', left, parseUnary());
        }
    }

    private Expr parseUnary() {
        skipWhitespace();
        if (!atEnd() && peek() == '-') {
            int at = pos++;
            enter(at);
            Expr operand = parseUnary();
            nesting--;
            return new Expr.Negation(operand);
        }
        return parsePower();
    }

    private Expr parsePower() {
        Expr base = parsePrimary();
        skipWhitespace();
        if (atEnd() || peek() != '^') {
            return base;
        }
        pos++;
        return new Expr.Power(base, parseExponent());
    }

    private long parseExponent() {
        skipWhitespace();
        if (atEnd()) {
            throw error("unexpected end of input at column " + column(pos) + " of " + quoted()
                    + ": expected a non-negative integer exponent after '^'");
        }
        int start = pos;
        char c = peek();
        if (c == '-') {
            throw error("negative exponent at column " + column(start) + " of " + quoted()
                    + ": exponents must be non-negative integer constants (for inverses use task div)");
        }
        if (!isDigit(c)) {
            String what = isIdentifierStart(c) ? "'" + readIdentifier() + "'" : describe(start);
            throw error("exponent " + what + " at column " + column(start) + " of " + quoted()
                    + " is not allowed: exponents must be non-negative integer constants");
        }
        BigInteger literal = readInteger();
        skipWhitespace();
        if (atEnd() || peek() != '^') {
            return checkExponent(literal, start);
        }
        pos++;
        enter(start);
        long outer = parseExponent();
        nesting--;
        return checkExponent(cappedPow(literal, outer), start);
    }

    /** literal^outer, computed exactly until it is known to exceed the cap (which then fails the check). */
    private static BigInteger cappedPow(BigInteger literal, long outer) {
        if (outer == 0) {
            return BigInteger.ONE;
        }
        if (literal.signum() == 0 || literal.equals(BigInteger.ONE)) {
            return literal;
        }
        BigInteger result = BigInteger.ONE;
        // base >= 2, so at most 60 steps before passing 10^18
        for (long i = 0; i < outer && result.compareTo(MAX_EXPONENT_BIG) <= 0; i++) {
            result = result.multiply(literal);
        }
        return result;
    }

    private long checkExponent(BigInteger value, int start) {
        if (value.compareTo(MAX_EXPONENT_BIG) > 0) {
            throw error("exponent at column " + column(start) + " of " + quoted()
                    + " is too large: exponents may be at most 10^18");
        }
        return value.longValueExact();
    }

    private Expr parsePrimary() {
        skipWhitespace();
        if (atEnd()) {
            throw error("unexpected end of input at column " + column(pos) + " of " + quoted() + ": " + OPERAND);
        }
        int start = pos;
        char c = peek();
        if (isDigit(c)) {
            BigInteger literal = readInteger();
            return new Expr.Constant(literal, literal.mod(bigP).longValueExact());
        }
        if (isIdentifierStart(c)) {
            String id = readIdentifier();
            if (id.equals("n") || id.equals("m")) {
                return new Expr.Variable(id.equals("n"));
            }
            throw unknownIdentifier(id, start);
        }
        if (c == '(') {
            pos++;
            enter(start);
            Expr inner = parseSum();
            skipWhitespace();
            if (atEnd()) {
                throw error("missing ')' at end of input (column " + column(pos) + ") of " + quoted()
                        + ": the '(' at column " + column(start) + " is never closed");
            }
            if (peek() != ')') {
                throw afterOperand("')' to close the '(' at column " + column(start));
            }
            pos++;
            nesting--;
            return inner;
        }
        if (c == '/') {
            throw division();
        }
        String hint = c == '*' && previousNonBlank() == '*' ? "; for powers write ^" : "";
        throw error("unexpected " + describe(start) + " at column " + column(start) + " of " + quoted() + ": "
                + OPERAND + hint);
    }

    /** The error for a character found where an operator, or {@code expected}, should follow an operand. */
    private SpecException afterOperand(String expected) {
        int at = pos;
        char c = peek();
        if (c == '/') {
            return division();
        }
        String prefix = "unexpected " + describe(at) + " at column " + column(at) + " of " + quoted() + ": ";
        if (c == ')') {
            return error(prefix + "no '(' is open here");
        }
        String hint = "";
        if (c == '.' && isDigit(previousNonBlank())) {
            hint = "; constants must be non-negative integers";
        } else if (isDigit(c) || isIdentifierStart(c) || c == '(') {
            hint = "; implicit multiplication is not supported, write '*'";
        }
        return error(prefix + "expected an operator (+, -, *, ^) or " + expected + hint);
    }

    private SpecException unknownIdentifier(String id, int start) {
        String at = " at column " + column(start) + " of " + quoted();
        String lower = id.toLowerCase(Locale.ROOT);
        String caseHint = !lower.equals(id) && Tasks.builtInNames().contains(lower)
                ? " (task names are lower case: did you mean '" + lower + "'?)" : "";
        if (src.strip().equals(id)) {
            return error("unknown task or variable '" + id + "'" + at + caseHint + "; built-in tasks: "
                    + String.join(", ", Tasks.builtInNames()) + "; an expression may use only n and m");
        }
        String taskHint = Tasks.builtInNames().contains(id) ? " ('" + id + "' is a task, not a variable)" : caseHint;
        return error("unknown variable '" + id + "'" + at + taskHint + ": an expression may use only n and m");
    }

    private SpecException division() {
        return error("division '/' at column " + column(pos) + " of " + quoted()
                + " is not supported in expressions: use task div");
    }

    private void enter(int at) {
        if (++nesting > MAX_NESTING) {
            throw error("expression nests deeper than " + MAX_NESTING + " levels at column " + column(at) + " of "
                    + quoted());
        }
    }

    private BigInteger readInteger() {
        int start = pos;
        while (!atEnd() && isDigit(peek())) {
            pos++;
        }
        return new BigInteger(src.substring(start, pos));
    }

    private String readIdentifier() {
        int start = pos;
        while (!atEnd() && (isIdentifierStart(peek()) || isDigit(peek()))) {
            pos++;
        }
        return src.substring(start, pos);
    }

    private void skipWhitespace() {
        while (!atEnd() && isBlank(peek())) {
            pos++;
        }
    }

    private char previousNonBlank() {
        for (int i = pos - 1; i >= 0; i--) {
            if (!isBlank(src.charAt(i))) {
                return src.charAt(i);
            }
        }
        return 0;
    }

    private boolean atEnd() {
        return pos >= src.length();
    }

    private char peek() {
        return src.charAt(pos);
    }

    /** 1-based column counted in code points, so a stray emoji does not shift the columns after it. */
    private int column(int index) {
        return src.codePointCount(0, index) + 1;
    }

    private String describe(int index) {
        int cp = src.codePointAt(index);
        if (Character.isISOControl(cp) || Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
            return String.format(Locale.ROOT, "character U+%04X", cp);
        }
        return "'" + new String(Character.toChars(cp)) + "'";
    }

    /** The spec in quotes, control characters blanked so the message stays on one line and columns still line up. */
    private String quoted() {
        StringBuilder out = new StringBuilder(src.length() + 2).append('"');
        for (int i = 0; i < src.length(); i++) {
            char c = src.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.append('"').toString();
    }

    private SpecException error(String problem) {
        return new SpecException("task", problem);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
