package org.grokscope.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.grokscope.protocol.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a data directory removes the temporary files of snapshots a killed process left
 * half-written, and nothing else; a node then recovers from the complete snapshots as before.
 */
class DataDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void unfinishedSnapshotsAreRemovedOnOpenAndCompleteOnesKept() throws Exception {
        RunSpec spec = Runs.small("add", 1, 40, 20);
        try (RunSystem node = Runs.open(dir, 1, FaultHook.NONE)) {
            Runs.startAndAwait(node, List.of("r"), List.of(spec), java.time.Duration.ofSeconds(60));
        }
        Path snapshots = dir.resolve("snapshots");
        List<Path> complete;
        try (var files = Files.list(snapshots)) {
            complete = files.sorted().toList();
        }
        assertFalse(complete.isEmpty(), "the run saved snapshots");
        // what a kill during a save leaves: the store's temporary file (its final name + "tmp"), never renamed
        String name = complete.get(0).getFileName().toString();
        assertTrue(name.matches("snapshot-run-r-\\d+-\\d+"), "the store's naming, as the cleanup expects: " + name);
        Path tmp = snapshots.resolve(name.replaceFirst("-(\\d+)$", "-1$1") + "tmp");
        Files.write(tmp, new byte[1024]);
        Path other = snapshots.resolve("notes.tmp");
        Files.writeString(other, "not the store's");
        try (RunSystem node = Runs.open(dir, 1, FaultHook.NONE)) {
            assertFalse(Files.exists(tmp), "the half-written snapshot is gone");
            assertTrue(Files.exists(other), "files the store did not write stay");
            for (Path p : complete) {
                assertTrue(Files.exists(p), p + " kept");
            }
            assertEquals(org.grokscope.protocol.RunStatus.COMPLETED, node.summary("r").status());
            assertTrue(Runs.checkpointWeights(node.summary("r")).sameBits(Runs.reference(spec, 1)));
        }
    }
}
