package org.grokscope.compute.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grokscope.protocol.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionErrorTest {
    private static final Pattern COLUMN = Pattern.compile("column (\\d+)");

    /** Asserts a task error whose first column mention is {@code column} and that contains every fragment. */
    private static SpecException assertError(String spec, int column, String... fragments) {
        SpecException e = assertThrows(SpecException.class, () -> Tasks.parse(spec, 97), spec);
        String message = e.getMessage();
        assertEquals("task", e.field(), message);
        assertTrue(message.startsWith("task: "), message);
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        Matcher matcher = COLUMN.matcher(message);
        assertTrue(matcher.find(), "no column in: " + message);
        assertEquals(column, Integer.parseInt(matcher.group(1)), message);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "missing '" + fragment + "' in: " + message);
        }
        return e;
    }

    @Test
    void doubledOperatorPointsAtTheSecondOne() {
        SpecException e = assertError("n**m", 3);
        assertEquals("task: unexpected '*' at column 3 of \"n**m\": expected a number, n, m or '('; for powers write ^",
                e.getMessage());
        assertError("n+*m", 3, "unexpected '*'", "expected a number, n, m or '('");
        assertError("+n", 1, "unexpected '+'");
    }

    @Test
    void unknownIdentifiers() {
        assertError("x", 1, "unknown task or variable 'x'", "built-in tasks: add, sub, mul, div, sq_sum, sq_of_sum, quad, cube");
        assertError("ad", 1, "unknown task or variable 'ad'", "built-in tasks: add, sub");
        assertError("  ad ", 3, "unknown task or variable 'ad'");
        assertError("Add", 1, "did you mean 'add'");
        assertError("n + x", 5, "unknown variable 'x'", "only n and m");
        assertError("3*n^2 + nm", 9, "unknown variable 'nm'");
        assertError("n + add", 5, "'add' is a task");
        assertError("sin(n)", 1, "'sin'");
    }

    @Test
    void unbalancedParentheses() {
        assertError("(n+m", 5, "missing ')'", "'(' at column 1");
        assertError("((n+m)", 7, "missing ')'", "'(' at column 1");
        assertError("(n+(m*2)", 9, "'(' at column 1");
        assertError("(n+m m)", 6, "')' to close the '(' at column 1", "implicit multiplication");
        assertError("n+m)", 4, "unexpected ')'", "no '(' is open");
        assertError("(n+m))", 6, "unexpected ')'");
        assertError("()", 2, "unexpected ')'", "expected a number, n, m or '('");
        assertError(")", 1, "unexpected ')'");
    }

    @Test
    void trailingGarbageAndImplicitMultiplication() {
        assertError("3n", 2, "unexpected 'n'", "implicit multiplication");
        assertError("n m", 3, "implicit multiplication");
        assertError("n (m)", 3, "implicit multiplication");
        assertError("n+m 5", 5, "unexpected '5'", "end of input");
        assertError("n + m;", 6, "unexpected ';'");
        assertError("n % m", 3, "unexpected '%'");
        assertError("1.5*n", 2, "unexpected '.'", "integers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n  "})
    void emptySpecs(String spec) {
        SpecException e = assertThrows(SpecException.class, () -> Tasks.parse(spec, 97));
        assertEquals("task", e.field());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertTrue(e.getMessage().contains("add"), e.getMessage());
    }

    @Test
    void nullSpecIsAnEmptyTask() {
        SpecException e = assertThrows(SpecException.class, () -> Tasks.parse(null, 97));
        assertEquals("task", e.field());
    }

    @Test
    void incompleteExpressionsPointPastTheEnd() {
        assertError("n+", 3, "end of input", "expected a number, n, m or '('");
        assertError("n*(", 4, "end of input");
        assertError("n^", 3, "end of input", "exponent");
        assertError("-", 2, "end of input");
    }

    @Test
    void exponentsMustBeNonNegativeIntegerConstants() {
        assertError("n^m", 3, "exponent 'm'", "non-negative integer constant");
        assertError("n^nm", 3, "exponent 'nm'");
        assertError("2^(3)", 3, "exponent '('");
        assertError("n^-1", 3, "negative exponent");
        assertError("n ^ -2", 5, "negative exponent");
        assertError("n^2^-1", 5, "negative exponent");
        assertError("n^2.5", 4, "unexpected '.'");
    }

    @Test
    void exponentsAboveTenToTheEighteenAreRejected() {
        assertError("n^99999999999999999999", 3, "too large", "10^18");
        assertError("n + m^1000000000000000001", 7, "too large");
        assertError("n^2^60", 3, "too large");
        assertError("n^10^19", 3, "too large");
        assertError("n^2^3^4", 3, "too large"); // 2^81
    }

    @Test
    void divisionIsNotPartOfTheLanguage() {
        assertError("n/m", 2, "'/'", "use task div");
        assertError("n*/m", 3, "'/'", "use task div");
        assertError("(n)/ 2", 4, "use task div");
    }

    @Test
    void oddCharactersAreNamedAndCountedInCodePoints() {
        assertError("n+\uD83D\uDE00", 3, "'\uD83D\uDE00'");
        assertError("n\u00A0+ m", 2, "U+00A0");
        assertError("n + é", 5, "'é'");
        assertError("n\n+ x", 5, "unknown variable 'x'");
    }

    @Test
    void runawayNestingAndLengthAreRejectedCleanly() {
        assertError("(".repeat(500) + "n" + ")".repeat(500), ExpressionParser.MAX_NESTING + 1, "nests deeper");
        assertError("-".repeat(500) + "n", ExpressionParser.MAX_NESTING + 1, "nests deeper");
        String longSpec = "n" + "+n".repeat(ExpressionParser.MAX_LENGTH);
        SpecException e = assertThrows(SpecException.class, () -> Tasks.parse(longSpec, 97));
        assertEquals("task", e.field());
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
        // just under the limit still parses, and evaluating its deep left spine is fine
        String wide = "n" + "+n".repeat((ExpressionParser.MAX_LENGTH - 1) / 2);
        int terms = (ExpressionParser.MAX_LENGTH - 1) / 2 + 1;
        assertEquals((3L * terms) % 97, Tasks.parse(wide, 97).apply(3, 0));
        String deep = "(".repeat(ExpressionParser.MAX_NESTING) + "n" + ")".repeat(ExpressionParser.MAX_NESTING);
        assertEquals("n", Tasks.parse(deep, 97).name());
    }
}
