package org.grokscope.compute.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionTest {
    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    private static void assertSameFunction(Task expected, Task actual) {
        int p = expected.p();
        assertEquals(p, actual.p());
        for (int n = 0; n < p; n++) {
            for (int m = 0; m < p; m++) {
                assertEquals(expected.apply(n, m), actual.apply(n, m),
                        actual.name() + " vs " + expected.name() + " p=" + p + " at (" + n + ", " + m + ")");
            }
        }
    }

    private static void assertMatches(String spec, int p, BiFunction<BigInteger, BigInteger, BigInteger> reference) {
        Task task = Tasks.parse(spec, p);
        for (int n = 0; n < p; n++) {
            for (int m = 0; m < p; m++) {
                int expected = reference.apply(big(n), big(m)).mod(big(p)).intValueExact();
                assertEquals(expected, task.apply(n, m), spec + " p=" + p + " at (" + n + ", " + m + ")");
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "add; n+m", "sub; n-m", "mul; n*m", "sq_sum; n^2+m^2", "sq_of_sum; (n+m)^2",
            "quad; n^2+n*m+m^2", "cube; n^3+n*m^2+m", "quad; m*m + m*n + n*n", "sub; n + -m",
            "sq_of_sum; n^2 + 2*n*m + m^2", "sub; -(m - n)"})
    void expressionsEqualTheBuiltIns(String builtIn, String expression) {
        for (int p : new int[] {2, 3, 12, 97}) {
            assertSameFunction(Tasks.parse(builtIn, p), Tasks.parse(expression, p));
        }
    }

    @Test
    void expressionsAreDefinedEverywhereAndStayInRange() {
        Task task = Tasks.parse("-7*n^5 - 3*m + 2", 30);
        for (int n = 0; n < 30; n++) {
            for (int m = 0; m < 30; m++) {
                assertTrue(task.defined(n, m));
                int q = task.apply(n, m);
                assertTrue(q >= 0 && q < 30, "q=" + q);
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "2*3^2; 97; 18", "2*3^2; 7; 4", "2^3^2; 1009; 512", "(2^3)^2; 1009; 64", "-2^2; 97; 93",
            "(-2)^2; 97; 4", "1 + 2*3; 97; 7", "(1 + 2)*3; 97; 9", "10 - 4 - 3; 97; 3", "10 - (4 - 3); 97; 9",
            "2*-3; 97; 91", "--5; 97; 5", "0^0; 5; 1", "5^0; 5; 1", "0; 5; 0", "7; 5; 2", "-1; 2; 1",
            "1 - 2 * 3 ^ 2 ^ 1; 100; 83"})
    void precedenceAndAssociativity(String spec, int p, int expected) {
        Task task = Tasks.parse(spec, p);
        for (int n = 0; n < p; n += Math.max(1, p / 7)) {
            assertEquals(expected, task.apply(n, (n * 3) % p), spec);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 12, 97})
    void unaryMinusBindsLooserThanPower(int p) {
        assertMatches("-n^2", p, (n, m) -> n.pow(2).negate());
        assertMatches("(-n)^3", p, (n, m) -> n.negate().pow(3));
        assertMatches("-n^3", p, (n, m) -> n.pow(3).negate());
        assertMatches("(n+m)^2", p, (n, m) -> n.add(m).pow(2));
        assertMatches("3*n^2 + 5*m + 1", p, (n, m) -> big(3).multiply(n.pow(2)).add(big(5).multiply(m)).add(big(1)));
        assertMatches("n - m*n - 1", p, (n, m) -> n.subtract(m.multiply(n)).subtract(big(1)));
        assertMatches("-n*m", p, (n, m) -> n.multiply(m).negate());
        assertMatches("n^2^3", p, (n, m) -> n.pow(8));
    }

    @Test
    void hugeConstantsAreReducedExactly() {
        BigInteger c1 = new BigInteger("123456789012345678901234567890123456789");
        BigInteger c2 = new BigInteger("98765432109876543210987654321");
        String spec = c1 + "*n + " + c2 + "*m^2 - " + c2;
        for (int p : new int[] {2, 97, 1000}) {
            assertMatches(spec, p, (n, m) -> c1.multiply(n).add(c2.multiply(m.pow(2))).subtract(c2));
        }
        assertEquals(c1 + "*n + " + c2 + "*m^2 - " + c2, Tasks.parse(spec, 97).name());
    }

    @Test
    void hugeExponentsMatchBigIntegerModPow() {
        long[] exponents = {0, 1, 2, 63, 1L << 40, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L};
        for (int p : new int[] {2, 12, 97, 1_000_003, 2_147_483_647}) {
            for (long e : exponents) {
                Task task = Tasks.parse("n^" + e + " + 2*m^" + e, p);
                for (long sample : new long[] {0, 1, 2, 3, p / 2, p - 1}) {
                    long n = sample % p;
                    long m = (n * 7 + 1) % p;
                    BigInteger expected = big(n).modPow(big(e), big(p))
                            .add(big(2).multiply(big(m).modPow(big(e), big(p)))).mod(big(p));
                    assertEquals(expected.intValueExact(), task.apply((int) n, (int) m), "p=" + p + " e=" + e);
                }
            }
        }
    }

    @Test
    void exponentTowersEvaluateExactlyBeforeReducing() {
        // 10^18 = 10^(2*9) written as a tower; exercised against BigInteger.modPow
        Task task = Tasks.parse("n^10^18", 97);
        assertEquals("n^1000000000000000000", task.name());
        for (int n = 0; n < 97; n++) {
            assertEquals(big(n).modPow(BigInteger.TEN.pow(18), big(97)).intValueExact(), task.apply(n, 0));
        }
        assertEquals("n^1", Tasks.parse("n^1^1000000000000000000", 5).name());
        assertEquals("n^1", Tasks.parse("n^99999999999999999999999^0", 5).name());
        assertEquals("n^0", Tasks.parse("n^0^5", 5).name());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "3*n^2 + 5*m + 1; 3*n^2 + 5*m + 1", "  3 * n ^ 2+5*m  +1 ; 3*n^2 + 5*m + 1",
            "(n+m)^2; (n + m)^2", "((n))*((m)); n*m", "n-(m-1); n - (m - 1)", "(n-m)-1; n - m - 1",
            "n+(m+1); n + (m + 1)", "007*n; 7*n", "2^3^2; 2^9", "-(n^2); -n^2", "(-n)^2; (-n)^2",
            "n*(-m); n*-m", "-(n+m); -(n + m)", "n - -m; n - -m", "(n^2)^3; (n^2)^3", "n*(m*n); n*(m*n)"})
    void namesAreNormalised(String spec, String name) {
        assertEquals(name, Tasks.parse(spec, 97).name());
    }

    @Test
    void tabsAndLineBreaksCountAsWhitespace() {
        assertEquals("n + m", Tasks.parse("\tn\n+\r\nm ", 97).name());
    }

    /**
     * Random fully parenthesised expressions against a BigInteger evaluation built alongside the
     * text; the normalised name, which drops the redundant parentheses, must mean the same thing.
     */
    @Test
    void randomExpressionsMatchBigIntegerEvaluationAndRoundTripThroughTheirNames() {
        Random random = new Random(20240611L);
        for (int trial = 0; trial < 300; trial++) {
            Generated g = generate(random, 4);
            int p = 2 + random.nextInt(40);
            Task task = Tasks.parse(g.text, p);
            Task reparsed = Tasks.parse(task.name(), p);
            assertEquals(task.name(), reparsed.name(), g.text);
            for (int n = 0; n < p; n++) {
                for (int m = 0; m < p; m++) {
                    int expected = g.value.apply(big(n), big(m)).mod(big(p)).intValueExact();
                    assertEquals(expected, task.apply(n, m), g.text + " p=" + p + " at (" + n + ", " + m + ")");
                    assertEquals(expected, reparsed.apply(n, m), task.name());
                }
            }
        }
    }

    private record Generated(String text, BiFunction<BigInteger, BigInteger, BigInteger> value) {
    }

    private static Generated generate(Random random, int depth) {
        int choice = depth == 0 ? random.nextInt(3) : random.nextInt(8);
        String space = random.nextBoolean() ? " " : "";
        switch (choice) {
            case 0:
                return new Generated("n", (n, m) -> n);
            case 1:
                return new Generated("m", (n, m) -> m);
            case 2: {
                BigInteger c = new BigInteger(random.nextInt(80) + 1, random);
                return new Generated(c.toString(), (n, m) -> c);
            }
            case 3: {
                Generated a = generate(random, depth - 1);
                return new Generated("-(" + a.text + ")", (n, m) -> a.value.apply(n, m).negate());
            }
            case 4: {
                Generated a = generate(random, depth - 1);
                int e = random.nextInt(5);
                return new Generated("(" + a.text + ")" + space + "^" + space + e, (n, m) -> a.value.apply(n, m).pow(e));
            }
            default: {
                Generated a = generate(random, depth - 1);
                Generated b = generate(random, depth - 1);
                char op = "+-*".charAt(choice - 5);
                BiFunction<BigInteger, BigInteger, BigInteger> f = switch (op) {
                    case '+' -> (n, m) -> a.value.apply(n, m).add(b.value.apply(n, m));
                    case '-' -> (n, m) -> a.value.apply(n, m).subtract(b.value.apply(n, m));
                    default -> (n, m) -> a.value.apply(n, m).multiply(b.value.apply(n, m));
                };
                return new Generated("(" + a.text + ")" + space + op + space + "(" + b.text + ")", f);
            }
        }
    }
}
