package org.grokscope.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.pekko.persistence.serialization.Snapshot;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.grokscope.compute.train.EventSettings;
import org.grokscope.protocol.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LevelDB journal and snapshot store written by format version 1 (committed under test
 * resources) must replay in every build: through persistence query (events) and through a trainer's
 * recovery (snapshot + events). Regenerate only with a new format version:
 * {@code ./mvnw -pl actors test -Dtest=GoldenJournalTest -Dgrokscope.golden.write=true}.
 */
class GoldenJournalTest {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden-journal", "v1");

    @TempDir
    Path dir;

    @Test
    void versionOneJournalReplays() throws Exception {
        if (Boolean.getBoolean("grokscope.golden.write")) {
            write();
        }
        copy(GOLDEN, dir);
        Properties expected = new Properties();
        try (InputStream in = Files.newInputStream(GOLDEN.resolve("expected.properties"))) {
            expected.load(in);
        }
        try (RunSystem node = Runs.open(dir, 1, FaultHook.NONE)) {
            assertEquals(List.of("golden-completed", "golden-paused"), node.runIds());
            RunSummary done = node.summary("golden-completed");
            assertEquals(RunStatus.COMPLETED, done.status());
            assertEquals(Integer.parseInt(expected.getProperty("completed.epochs")), done.epochEvents());
            assertTrue(done.contiguous());
            assertEquals(expected.getProperty("completed.lastTrainLoss"), Double.toString(done.last().trainLoss()));
            assertEquals(expected.getProperty("completed.weightsHash"), weightsHash(done));
            RunSummary paused = node.summary("golden-paused");
            assertEquals(RunStatus.PAUSED, paused.status());
            assertEquals(Integer.parseInt(expected.getProperty("paused.epoch")), paused.epoch());

            // recovery from snapshot + events, through a trainer: the reply carries the epoch the
            // trainer recovered, which the query's fold above must agree with
            Trainer.Reply stop = node.<Trainer.Reply>ask(r -> new RunSupervisor.StopRun("golden-paused", r));
            assertEquals(new Trainer.Accepted("golden-paused", RunStatus.STOPPED, paused.epoch()), stop);
        }
    }

    /**
     * A second store of format version 1, written by {@code grokscope run} after the onset
     * detector, the live analyzers and training sessions joined the journal (build 308e27f:
     * add, p = 31, N = 64, AdamW, 1,000 epochs, a checkpoint every 250), so that their events
     * (TrainingSessionStarted, GrokkingDetected, PrecursorDetected, AnalysisRecorded) are read
     * from bytes an older build wrote, through Pekko's journal envelope, not only through the raw
     * Kryo files of the protocol tests. The expected values are what that build's
     * {@code grokscope export} printed (nine significant digits, hence the tolerance).
     */
    @Test
    void versionOneDetectorAnalyzerAndSessionEventsReplay() throws Exception {
        copy(GOLDEN.resolveSibling("v1-grokked"), dir);
        try (RunSystem node = Runs.open(dir, 1, FaultHook.NONE)) {
            assertEquals(List.of("golden-grokked"), node.runIds());
            RunSummary run = node.summary("golden-grokked");
            assertEquals(RunStatus.COMPLETED, run.status());
            assertEquals(1000, run.epochEvents());
            assertTrue(run.contiguous());
            assertEquals(31, run.spec().p());

            List<org.grokscope.protocol.events.TrainingSessionStarted> sessions = node.events("golden-grokked").stream()
                    .filter(e -> e instanceof org.grokscope.protocol.events.TrainingSessionStarted)
                    .map(e -> (org.grokscope.protocol.events.TrainingSessionStarted) e).toList();
            assertEquals(1, sessions.size());
            assertEquals(0, sessions.get(0).epoch());
            assertEquals("0.1.0-SNAPSHOT+308e27f4b6", sessions.get(0).codeVersion());
            assertEquals("cpu", sessions.get(0).backend());
            assertEquals(4, sessions.get(0).lanes());
            assertEquals(2, sessions.get(0).threads());

            assertEquals(List.of(
                    new org.grokscope.protocol.events.GrokkingDetected("golden-grokked", 662, 705, 881),
                    new org.grokscope.protocol.events.PrecursorDetected("golden-grokked",
                            org.grokscope.protocol.events.PrecursorDetected.IPR_ACCELERATION, 750)),
                    node.detections("golden-grokked"));

            List<org.grokscope.protocol.events.AnalysisRecorded> analyses = node.analyses("golden-grokked");
            assertEquals(List.of(250, 500, 750, 1000), analyses.stream().map(a -> a.epoch()).toList());
            double[][] expected = { // ipr_u, phase_resultant_length, frequencies_used, fcr_w2
                {0.126577297, 0.558334483, 15, 0.500316220},
                {0.174047831, 0.975479609, 15, 0.491921575},
                {0.436969259, 0.990268220, 15, 0.494677343},
                {0.775663701, 0.993898083, 15, 0.502515726}};
            String[] names = {"ipr_u", "phase_resultant_length", "frequencies_used", "fcr_w2"};
            for (int i = 0; i < analyses.size(); i++) {
                org.grokscope.protocol.events.AnalysisRecorded a = analyses.get(i);
                assertEquals("ipr,phases,coverage,ffs", a.analyzers());
                assertEquals(3, a.version());
                assertEquals("ipr.r=2 phases.bins=36 ffs.eta=0.1", a.parameters());
                for (int k = 0; k < names.length; k++) {
                    int at = Arrays.asList(a.names()).indexOf(names[k]);
                    assertTrue(at >= 0, names[k] + " at epoch " + a.epoch());
                    assertEquals(expected[i][k], a.values()[at], 5e-9, names[k] + " at epoch " + a.epoch());
                }
            }
        }
    }

    /**
     * Recovery falls back to the journal alone when a snapshot cannot be read, so the test above
     * would pass with every snapshot broken. Here each golden snapshot is decoded by itself and
     * must equal the state that the events before it fold to: a component renamed or reordered in
     * Trainer.State or GrokProgress shows up as a failure to decode or as a different value.
     */
    @Test
    void everyVersionOneSnapshotDecodesToTheFoldOfTheEventsBeforeIt() throws Exception {
        copy(GOLDEN, dir);
        try (RunSystem node = Runs.open(dir, 1, FaultHook.NONE)) {
            Serialization serialization = SerializationExtension.get(node.system().classicSystem());
            EventSettings events = EventSettings.create(node.system().settings().config());
            List<Path> snapshots;
            try (Stream<Path> files = Files.list(dir.resolve("snapshots"))) {
                snapshots = files.sorted().toList();
            }
            assertEquals(11, snapshots.size(), "the golden store's snapshots");
            for (Path file : snapshots) {
                // snapshot-run-<runId>-<sequenceNr>-<timestamp>
                String name = file.getFileName().toString();
                String[] parts = name.substring("snapshot-run-".length()).split("-");
                String runId = String.join("-", Arrays.copyOf(parts, parts.length - 2));
                int sequenceNr = Integer.parseInt(parts[parts.length - 2]);
                Object data = serialization.deserialize(Files.readAllBytes(file), Snapshot.class).get().data();
                Trainer.State fold = Trainer.State.empty(runId);
                for (org.grokscope.protocol.events.RunEvent e : node.events(runId).subList(0, sequenceNr)) {
                    fold = fold.apply(e, events);
                }
                assertEquals(fold, data, name);
                assertTrue(fold.checkpoint() != null && fold.epoch() > 0, name + " holds a checkpoint");
            }
        }
    }

    private static String weightsHash(RunSummary s) {
        return Integer.toHexString(Arrays.hashCode(s.lastCheckpoint().w1()) * 31 + Arrays.hashCode(s.lastCheckpoint().w2()));
    }

    private void write() throws Exception {
        Path out = dir.resolve("gen");
        try (RunSystem node = Runs.open(out, 1, FaultHook.NONE)) {
            Runs.startAndAwait(node, List.of("golden-completed"), List.of(Runs.small("add", 7, 12, 5)),
                    Duration.ofSeconds(60));
            node.<Trainer.Reply>ask(r -> new RunSupervisor.StartRun("golden-paused", Runs.small("quad", 8, 100000, 60), r));
            Thread.sleep(300);
            node.<Trainer.Reply>ask(r -> new RunSupervisor.PauseRun("golden-paused", r));
            Thread.sleep(300);
            Properties p = new Properties();
            RunSummary done = node.summary("golden-completed");
            p.setProperty("completed.epochs", Long.toString(done.epochEvents()));
            p.setProperty("completed.lastTrainLoss", Double.toString(done.last().trainLoss()));
            p.setProperty("completed.weightsHash", weightsHash(done));
            p.setProperty("paused.epoch", Integer.toString(node.summary("golden-paused").epoch()));
            Files.createDirectories(GOLDEN);
            try (OutputStream o = Files.newOutputStream(GOLDEN.resolve("expected.properties"))) {
                p.store(o, "written with the journal by GoldenJournalTest; format version 1");
            }
        }
        try (Stream<Path> old = Files.walk(GOLDEN)) {
            old.sorted(java.util.Comparator.reverseOrder()).filter(f -> !f.equals(GOLDEN)
                    && !f.getFileName().toString().equals("expected.properties")).forEach(f -> f.toFile().delete());
        }
        copy(out, GOLDEN);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.equals("LOCK") || name.equals("grokscope.lock") || name.startsWith("LOG")) {
                    continue;
                }
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
