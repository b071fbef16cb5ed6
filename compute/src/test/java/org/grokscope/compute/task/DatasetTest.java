package org.grokscope.compute.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DatasetTest {
    @Test
    void holdsAllPairsNMajorWithTheirLabels() {
        for (int p : new int[] {2, 5, 12}) {
            Dataset d = Dataset.of(Tasks.parse("sub", p));
            assertEquals(p, d.p());
            assertEquals(p * p, d.size());
            for (int i = 0; i < d.size(); i++) {
                assertEquals(i / p, d.n()[i]);
                assertEquals(i % p, d.m()[i]);
                assertEquals(Math.floorMod(i / p - i % p, p), d.q()[i]);
            }
        }
    }

    @Test
    void divLeavesOutMEqualsZero() {
        int p = 7;
        Dataset d = Dataset.of(Tasks.parse("div", p));
        assertEquals(p * (p - 1), d.size());
        int i = 0;
        for (int n = 0; n < p; n++) {
            for (int m = 1; m < p; m++) {
                assertEquals(n, d.n()[i]);
                assertEquals(m, d.m()[i]);
                assertEquals(n, d.q()[i] * m % p);
                i++;
            }
        }
    }

    @Test
    void expressionDatasetsAreComplete() {
        Dataset d = Dataset.of(Tasks.parse("n^2+n*m+m^2", 97));
        assertEquals(97 * 97, d.size());
        assertArrayEquals(Dataset.of(Tasks.parse("quad", 97)).q(), d.q());
    }

    @Test
    void selectTakesRowsInTheGivenOrder() {
        Dataset d = Dataset.of(Tasks.parse("mul", 5));
        Dataset s = d.select(new int[] {24, 0, 7, 7});
        assertEquals(5, s.p());
        assertEquals(4, s.size());
        assertArrayEquals(new int[] {4, 0, 1, 1}, s.n());
        assertArrayEquals(new int[] {4, 0, 2, 2}, s.m());
        assertArrayEquals(new int[] {1, 0, 2, 2}, s.q());
        assertEquals(0, d.select(new int[0]).size());
    }

    @Test
    void columnsMustAgreeInLength() {
        assertThrows(IllegalArgumentException.class, () -> new Dataset(5, new int[2], new int[2], new int[3]));
    }
}
