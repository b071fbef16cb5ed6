package org.grokscope.compute.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.grokscope.protocol.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuiltInTasksTest {
    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    /** Reference formulas over the integers, reduced once at the end: independent of the mod-p code. */
    private static final Map<String, BiFunction<BigInteger, BigInteger, BigInteger>> FORMULAS = Map.of(
            "add", BigInteger::add,
            "sub", BigInteger::subtract,
            "mul", BigInteger::multiply,
            "sq_sum", (n, m) -> n.pow(2).add(m.pow(2)),
            "sq_of_sum", (n, m) -> n.add(m).pow(2),
            "quad", (n, m) -> n.pow(2).add(n.multiply(m)).add(m.pow(2)),
            "cube", (n, m) -> n.pow(3).add(n.multiply(m.pow(2))).add(m));

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 12, 97, 113})
    void everyBuiltInMatchesItsFormulaOnAllPairs(int p) {
        for (var entry : FORMULAS.entrySet()) {
            Task task = Tasks.parse(entry.getKey(), p);
            assertEquals(entry.getKey(), task.name());
            assertEquals(p, task.p());
            for (int n = 0; n < p; n++) {
                for (int m = 0; m < p; m++) {
                    assertTrue(task.defined(n, m));
                    int expected = entry.getValue().apply(big(n), big(m)).mod(big(p)).intValueExact();
                    assertEquals(expected, task.apply(n, m), entry.getKey() + " p=" + p + " at (" + n + ", " + m + ")");
                }
            }
        }
    }

    @Test
    void builtInsStayExactNearTheTopOfTheIntRange() {
        int p = 2_147_483_647; // prime, the largest p whose products still fit the long arithmetic
        int[] samples = {0, 1, 2, 65_536, 1_000_000_007, p - 2, p - 1};
        for (var entry : FORMULAS.entrySet()) {
            Task task = Tasks.parse(entry.getKey(), p);
            for (int n : samples) {
                for (int m : samples) {
                    int expected = entry.getValue().apply(big(n), big(m)).mod(big(p)).intValueExact();
                    assertEquals(expected, task.apply(n, m), entry.getKey() + " at (" + n + ", " + m + ")");
                }
            }
        }
        Task div = Tasks.parse("div", p);
        for (int n : samples) {
            for (int m : samples) {
                if (m != 0) {
                    int q = div.apply(n, m);
                    assertEquals(big(n).mod(big(p)), big(q).multiply(big(m)).mod(big(p)));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 7, 97})
    void divMultipliesByTheInverseAndExcludesZero(int p) {
        Task task = Tasks.parse("div", p);
        assertEquals("div", task.name());
        for (int m = 0; m < p; m++) {
            int inverse = -1;
            for (int x = 0; x < p && m != 0; x++) {
                if (m * x % p == 1) {
                    inverse = x;
                }
            }
            for (int n = 0; n < p; n++) {
                if (m == 0) {
                    assertFalse(task.defined(n, m));
                } else {
                    assertTrue(task.defined(n, m));
                    assertEquals(n * inverse % p, task.apply(n, m), "(" + n + ", " + m + ")");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 12, 15, 49, 1_000_000})
    void divRejectsCompositeP(int p) {
        SpecException e = assertThrows(SpecException.class, () -> Tasks.parse("div", p));
        assertEquals("task", e.field());
        assertTrue(e.getMessage().contains("div"), e.getMessage());
        assertTrue(e.getMessage().contains("p=" + p), e.getMessage());
        assertTrue(e.getMessage().contains("prime"), e.getMessage());
    }

    @Test
    void applyOnAnExcludedPairIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> Tasks.parse("div", 7).apply(3, 0));
        assertThrows(IllegalArgumentException.class, () -> Tasks.parse("add", 7).apply(7, 0));
        assertThrows(IllegalArgumentException.class, () -> Tasks.parse("add", 7).apply(0, -1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 0, -1, -97, Integer.MIN_VALUE})
    void pBelowTwoIsRejectedUnderFieldP(int p) {
        for (String spec : List.of("add", "div", "n+m")) {
            SpecException e = assertThrows(SpecException.class, () -> Tasks.parse(spec, p));
            assertEquals("p", e.field());
            assertTrue(e.getMessage().contains(Integer.toString(p)), e.getMessage());
        }
    }

    @Test
    void builtInNamesAreListedInOrder() {
        assertEquals(List.of("add", "sub", "mul", "div", "sq_sum", "sq_of_sum", "quad", "cube"), Tasks.builtInNames());
        for (String name : Tasks.builtInNames()) {
            assertEquals(name, Tasks.parse(name, 97).name());
        }
    }

    @Test
    void builtInNamesIgnoreSurroundingWhitespaceButNotCase() {
        assertEquals("add", Tasks.parse("  add\t", 5).name());
        SpecException e = assertThrows(SpecException.class, () -> Tasks.parse("ADD", 5));
        assertEquals("task", e.field());
        assertTrue(e.getMessage().contains("did you mean 'add'"), e.getMessage());
    }
}
