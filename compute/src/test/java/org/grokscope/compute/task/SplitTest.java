package org.grokscope.compute.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.grokscope.compute.rng.SplitMix64;
import org.grokscope.protocol.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SplitTest {
    private static final Dataset ALL = Dataset.of(Tasks.parse("add", 23));

    @ParameterizedTest
    @ValueSource(ints = {29, 57, 58})
    void trainSizeIsTheFloorOfTheDecimalAlphaNotOfItsBinaryProduct(int percent) {
        // p = 10: 0.29 × 100 = 28.999999999999996 in doubles, and so for 0.57 and 0.58
        Dataset all = Dataset.of(Tasks.parse("add", 10));
        assertEquals(percent, Split.of(all, percent / 100.0, 1).train().size());
    }

    private static Set<Integer> keys(Dataset d, int p) {
        Set<Integer> keys = new HashSet<>();
        for (int i = 0; i < d.size(); i++) {
            assertTrue(keys.add(d.n()[i] * p + d.m()[i]), "duplicate row");
        }
        return keys;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 30, 50, 77, 99})
    void sizesAreFloorOfAlphaAndThePartsPartitionTheData(int percent) {
        Split split = Split.of(ALL, percent / 100.0, 42);
        int size = ALL.size();
        // ⌊α·|D|⌋ in integers
        assertEquals(percent * size / 100, split.train().size());
        assertEquals(size - split.train().size(), split.test().size());
        Set<Integer> train = keys(split.train(), 23);
        Set<Integer> test = keys(split.test(), 23);
        Set<Integer> union = new HashSet<>(train);
        union.addAll(test);
        assertEquals(size, union.size(), "disjoint and covering");
        for (Dataset part : new Dataset[] {split.train(), split.test()}) {
            assertEquals(23, part.p());
            for (int i = 0; i < part.size(); i++) {
                assertEquals((part.n()[i] + part.m()[i]) % 23, part.q()[i], "labels travel with their pairs");
            }
        }
    }

    @Test
    void followsTheSplitMix64ShuffleOfTheIndices() {
        int[] order = new int[ALL.size()];
        Arrays.setAll(order, i -> i);
        new SplitMix64(7).shuffle(order);
        Split split = Split.of(ALL, 0.4, 7);
        int trainSize = (int) Math.floor(0.4 * ALL.size());
        assertArrayEquals(ALL.select(Arrays.copyOfRange(order, 0, trainSize)).n(), split.train().n());
        assertArrayEquals(ALL.select(Arrays.copyOfRange(order, 0, trainSize)).m(), split.train().m());
        assertArrayEquals(ALL.select(Arrays.copyOfRange(order, trainSize, order.length)).m(), split.test().m());
    }

    @Test
    void deterministicPerSeedAndDifferentAcrossSeeds() {
        Split a = Split.of(ALL, 0.3, 1234);
        Split b = Split.of(ALL, 0.3, 1234);
        assertArrayEquals(a.train().n(), b.train().n());
        assertArrayEquals(a.train().m(), b.train().m());
        assertArrayEquals(a.test().n(), b.test().n());
        assertArrayEquals(a.test().m(), b.test().m());
        Split c = Split.of(ALL, 0.3, 1235);
        assertFalse(Arrays.equals(a.train().n(), c.train().n()) && Arrays.equals(a.train().m(), c.train().m()));
        assertFalse(keys(a.train(), 23).equals(keys(c.train(), 23)), "a different seed picks a different train set");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1, -0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void alphaOutsideTheOpenUnitIntervalIsRejected(double alpha) {
        SpecException e = assertThrows(SpecException.class, () -> Split.of(ALL, alpha, 0));
        assertEquals("alpha", e.field());
        assertTrue(e.getMessage().contains("must be in (0, 1)"), e.getMessage());
    }

    @Test
    void alphaMessagesShowTheValue() {
        assertTrue(Split.of(ALL, 0.5, 0).train().size() > 0);
        assertTrue(assertThrows(SpecException.class, () -> Split.of(ALL, 1.5, 0)).getMessage().endsWith("got 1.5"));
        assertTrue(assertThrows(SpecException.class, () -> Split.of(ALL, 0, 0)).getMessage().endsWith("got 0"));
        assertTrue(assertThrows(SpecException.class, () -> Split.of(ALL, -0.1, 0)).getMessage().endsWith("got -0.1"));
    }

    @Test
    void emptyTrainOrTestPartIsRejected() {
        Dataset small = Dataset.of(Tasks.parse("div", 2)); // 2 pairs
        assertEquals(2, small.size());
        SpecException e = assertThrows(SpecException.class, () -> Split.of(small, 0.4, 0));
        assertEquals("alpha", e.field());
        assertTrue(e.getMessage().contains("training set empty"), e.getMessage());
        Split half = Split.of(small, 0.5, 0);
        assertEquals(1, half.train().size());
        assertEquals(1, half.test().size());
        // the largest double below 1 rounds alpha × 3 up to 3, which would leave no test pairs
        double nearlyOne = Math.nextDown(1.0);
        Dataset three = small.select(new int[] {0, 1, 0});
        if ((int) Math.floor(nearlyOne * 3) == 3) {
            SpecException f = assertThrows(SpecException.class, () -> Split.of(three, nearlyOne, 0));
            assertEquals("alpha", f.field());
            assertTrue(f.getMessage().contains("test set empty"), f.getMessage());
        } else {
            assertEquals(1, Split.of(three, nearlyOne, 0).test().size());
        }
    }
}
