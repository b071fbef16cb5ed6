package org.grokscope.protocol.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.BackendKind;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.LossKind;
import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.OptimizerSpec;
import org.grokscope.protocol.Parametrization;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.events.AnalysisRecorded;
import org.grokscope.protocol.events.CheckpointSaved;
import org.grokscope.protocol.events.EpochCompleted;
import org.grokscope.protocol.events.GrokkingDetected;
import org.grokscope.protocol.events.OptimizerCheckpoint;
import org.grokscope.protocol.events.PrecursorDetected;
import org.grokscope.protocol.events.RunCompleted;
import org.grokscope.protocol.events.RunFailed;
import org.grokscope.protocol.events.RunPaused;
import org.grokscope.protocol.events.RunResumed;
import org.grokscope.protocol.events.RunStarted;
import org.grokscope.protocol.events.RunStopped;
import org.grokscope.protocol.events.TrainingSessionStarted;
import org.junit.jupiter.api.Test;

/**
 * The journal format: every event round-trips, unregistered classes are refused, and golden
 * bytes written by format version 1 (under test resources) still decode to the same events and
 * re-encode to the same bytes. Regenerate only for a new format version:
 * {@code ./mvnw -pl protocol test -Dtest=KryoSerializerTest -Dgrokscope.golden.write=true}.
 */
class KryoSerializerTest {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "v1");
    private final KryoSerializer serializer = new KryoSerializer(Map.of());

    static Map<String, Object> samples() {
        RunSpec spec = new RunSpec("3*n^2 + m", 31, 0.37, -5, 123456789012L, 77, Activation.GELU,
                Parametrization.STANDARD, LossKind.CSE, new OptimizerSpec(OptimizerKind.GD, 250.5, 0.9, true, 1e-4, 0.9,
                0.98, 1e-8), 42, 64, 7, 0, BackendKind.NAIVE);
        EpochMetrics m = new EpochMetrics(17, 0.25, 0.5, Double.NaN, Double.NaN, 3.0, 4.0, 1e-3, 2e-3);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("run-started", new RunStarted("golden-1", spec, "0.1.0", 1795200000000L));
        s.put("epoch-completed", new EpochCompleted(m));
        s.put("epoch-completed-evaluated", new EpochCompleted(new EpochMetrics(18, 0.2, 0.6, 0.3, 0.4, 3, 4, 5, 6)));
        s.put("checkpoint-saved", new CheckpointSaved(20, 2, 3, new float[] {1, -2, 3.5f, 0, 1e-20f, 7, 8, 9, 10, 11, 12, 13},
                new float[] {-1, 2, 3, 4, 5, Float.MIN_VALUE},
                new OptimizerCheckpoint(20, new float[] {1, 2}, new float[] {3, 4}, new float[] {5}, new float[] {6})));
        s.put("run-paused", new RunPaused(21));
        s.put("run-resumed", new RunResumed(21));
        s.put("run-completed", new RunCompleted(42, 10, 30));
        s.put("run-failed", new RunFailed(5, RunFailed.DIVERGED));
        s.put("run-stopped", new RunStopped(9));
        s.put("training-session-started", new TrainingSessionStarted(21, "0.1.0-SNAPSHOT+3c54397a1b", "cpu",
                "OpenBLAS 0.3.31 (cblas_sgemm), 2 threads", 4, 2));
        s.put("grokking-detected", new GrokkingDetected("golden-1", 310, 318, 325));
        s.put("precursor-detected", new PrecursorDetected("golden-1", PrecursorDetected.TEST_LOSS_PEAK, 301));
        s.put("analysis-recorded", new AnalysisRecorded("golden-1", "ipr,phases", 2, "ffs.eta=0.1", 320,
                new String[] {"ipr.u", "phases.resultant"}, new double[] {0.125, Double.NaN}));
        return s;
    }

    @Test
    void everyEventRoundTrips() {
        for (Object event : samples().values()) {
            byte[] bytes = serializer.toBinary(event);
            assertEquals(Registrations.FORMAT_VERSION, bytes[0]);
            assertEquals(event, serializer.fromBinary(bytes), event.toString());
        }
    }

    @Test
    void goldenBytesOfVersionOneStillReadAndWriteTheSame() throws IOException {
        boolean write = Boolean.getBoolean("grokscope.golden.write");
        for (Map.Entry<String, Object> e : samples().entrySet()) {
            Path file = GOLDEN.resolve(e.getKey() + ".bin");
            if (write) {
                Files.createDirectories(GOLDEN);
                Files.write(file, serializer.toBinary(e.getValue()));
            }
            byte[] golden = Files.readAllBytes(file);
            assertEquals(e.getValue(), serializer.fromBinary(golden), e.getKey());
            assertArrayEquals(golden, serializer.toBinary(e.getValue()), "encoding of " + e.getKey() + " changed");
        }
    }

    @Test
    void unregisteredClassesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> serializer.toBinary(new java.util.Date()));
        byte[] bytes = serializer.toBinary(new RunPaused(1));
        bytes[1] = 99; // a class id nobody registered
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> serializer.fromBinary(bytes));
        assertTrue(e.getMessage().contains("corrupt journal entry"), e.getMessage());
    }

    @Test
    void unknownFormatVersionAndTruncationGiveClearErrors() {
        byte[] bytes = serializer.toBinary(new RunCompleted(1, 2, 3));
        bytes[0] = 9;
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class, () -> serializer.fromBinary(bytes));
        assertTrue(v.getMessage().contains("format version 9"), v.getMessage());
        byte[] full = serializer.toBinary(samples().get("checkpoint-saved"));
        byte[] cut = java.util.Arrays.copyOf(full, full.length / 2);
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> serializer.fromBinary(cut));
        assertTrue(t.getMessage().contains("corrupt journal entry"), t.getMessage());
    }
}
