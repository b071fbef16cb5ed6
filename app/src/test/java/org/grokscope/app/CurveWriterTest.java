package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.grokscope.protocol.EpochMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The curve CSV holds every written row before it is closed: Ctrl-C leaves whole rows. */
class CurveWriterTest {
    @TempDir
    Path dir;

    @Test
    void rowsAreOnDiskAsSoonAsTheyAreWritten() throws Exception {
        Path csv = dir.resolve("c.csv");
        CurveWriter w = CurveWriter.open(csv);
        try {
            w.write(new EpochMetrics(1, 0.5, 0.25, 0.75, 0.125, 3, 4, 0.1, 0.2));
            w.write(new EpochMetrics(2, 0.4, 0.5, Double.NaN, Double.NaN, 3, 4, 0.1, 0.2));
            List<String> lines = Files.readAllLines(csv);
            assertEquals(3, lines.size(), "header and two rows, before close: " + lines);
            assertTrue(lines.get(1).startsWith("1,0.500000000,0.250000,0.750000000,0.125000,"), lines.get(1));
            assertTrue(lines.get(2).startsWith("2,") && lines.get(2).endsWith("0.200000000"), lines.get(2));
        } finally {
            w.close();
        }
    }

    /** A diverged epoch reads back as inf and nan in numpy and pandas, which do not know Java's "Infinity". */
    @Test
    void nonFiniteValuesAreWrittenAsNumpyReadsThem() throws Exception {
        Path csv = dir.resolve("d.csv");
        try (CurveWriter w = CurveWriter.open(csv)) {
            w.write(new EpochMetrics(5, Double.POSITIVE_INFINITY, 0.1, Double.NaN, 0.0, Double.NEGATIVE_INFINITY, 4,
                    Double.NaN, 0.2));
        }
        assertEquals("5,inf,0.100000,nan,0.000000,-inf,4.00000000,nan,0.200000000", Files.readAllLines(csv).get(1));
    }
}
