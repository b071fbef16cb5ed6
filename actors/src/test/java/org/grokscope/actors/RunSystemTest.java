package org.grokscope.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run through supervisor, trainer and LevelDB journal ends with the weights of a plain run. */
class RunSystemTest {
    @TempDir
    Path dir;

    @Test
    void journaledRunMatchesAnUninterruptedOne() throws Exception {
        RunSpec spec = Runs.small("add", 3, 120, 25);
        try (RunSystem node = Runs.open(dir, 1, FaultHook.NONE)) {
            List<Trainer.Ended> ended = Runs.startAndAwait(node, List.of("a1"), List.of(spec), Duration.ofSeconds(60));
            assertEquals(RunStatus.COMPLETED, ended.get(0).status());
            RunSummary s = node.summary("a1");
            assertEquals(RunStatus.COMPLETED, s.status());
            assertEquals(120, s.epoch());
            assertEquals(120, s.epochEvents());
            assertTrue(s.contiguous());
            assertEquals(120, s.lastCheckpoint().epoch());
            assertTrue(Runs.checkpointWeights(s).sameBits(Runs.reference(spec, node.maxConcurrent() > 1 ? 1 : 2)));
        }
    }
}
