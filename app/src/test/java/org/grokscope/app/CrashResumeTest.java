package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.grokscope.actors.FaultHook;
import org.grokscope.actors.RunSummary;
import org.grokscope.actors.RunSystem;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.train.TrainingRun;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety end to end: {@code grokscope run} on the AdamW example in a child JVM, killed with
 * SIGKILL once its journal passes each of five random epochs and resumed each time, must end with
 * exactly one EpochCompleted per epoch and final weights bit-identical to an uninterrupted run.
 */
class CrashResumeTest {
    private static final Path SPEC = Path.of("..", "config", "examples", "add-p97-adamw.conf");

    @TempDir
    Path dir;

    @Test
    void killedFiveTimesAndResumedEqualsUninterrupted() throws Exception {
        Path data = dir.resolve("data");
        Random random = new Random(20261121L);
        // five random epochs, one in each fifth of the run (so each kill is past the last one);
        // each JVM is killed once its journal has reached the next
        List<Integer> targets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            targets.add(60 + i * 280 + random.nextInt(160));
        }
        List<Integer> killedAt = new ArrayList<>();
        Process p = start("run", SPEC.toString(), "--id", "crash");
        for (int target : targets) {
            long deadline = System.currentTimeMillis() + 180_000;
            while (journaledEpoch() < target) {
                assertTrue(p.isAlive(), () -> "the run should still be training before epoch " + target + ": " + output());
                assertTrue(System.currentTimeMillis() < deadline, "no progress to epoch " + target);
                Thread.sleep(50);
            }
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            killedAt.add(epochInJournal(data));
            p = start("resume", "crash");
        }
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the last resume finishes");
        assertEquals(0, p.exitValue(), () -> output());

        RunSpec spec = new SpecOptions().resolve(SPEC);
        Weights reference;
        try (TrainingRun run = TrainingRun.create(spec, ComputeSettings.defaults())) {
            for (int e = 0; e < spec.epochs(); e++) {
                run.runEpoch();
            }
            reference = run.engine().weights();
        }
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            RunSummary s = node.summary("crash");
            assertEquals(RunStatus.COMPLETED, s.status());
            assertEquals(spec.epochs(), s.epochEvents(), "one EpochCompleted per epoch; killed at " + killedAt);
            assertTrue(s.contiguous(), "no gaps, no duplicates; killed at " + killedAt);
            assertEquals(spec.epochs(), s.lastCheckpoint().epoch());
            Weights journaled = Weights.fromPaperLayout(ModelShape.of(spec), s.lastCheckpoint().w1(),
                    s.lastCheckpoint().w2());
            assertTrue(journaled.sameBits(reference), "bit-identical to an uninterrupted run; killed at " + killedAt);
            // the journal followers survived the kills too: one analysis per checkpoint, one onset
            List<Integer> analyzed = node.analyses("crash").stream().map(a -> a.epoch()).toList();
            List<Integer> expected = new ArrayList<>();
            for (int e = spec.checkpointEvery(); e <= spec.epochs(); e += spec.checkpointEvery()) {
                expected.add(e);
            }
            assertEquals(expected, analyzed, "analyzer results neither lost nor duplicated; killed at " + killedAt);
            assertEquals(1, node.detections("crash").stream()
                    .filter(d -> d instanceof org.grokscope.protocol.events.GrokkingDetected).count());
            // provenance: each of the six JVMs journaled the code and backend it trained with
            List<org.grokscope.protocol.events.TrainingSessionStarted> sessions = node.events("crash").stream()
                    .filter(e -> e instanceof org.grokscope.protocol.events.TrainingSessionStarted)
                    .map(e -> (org.grokscope.protocol.events.TrainingSessionStarted) e).toList();
            assertEquals(6, sessions.size(), "one session per JVM; killed at " + killedAt);
            assertEquals(0, sessions.get(0).epoch());
            for (int i = 1; i < sessions.size(); i++) {
                assertTrue(sessions.get(i).epoch() >= killedAt.get(i - 1), "session " + i + " after kill " + i);
                assertTrue(sessions.get(i).epoch() > sessions.get(i - 1).epoch(), sessions.toString());
            }
            assertTrue(sessions.stream().allMatch(t -> t.codeVersion().equals(CodeVersion.get())), sessions.toString());
        }
        assertEquals(5, killedAt.stream().distinct().count(), "five distinct kill points: " + killedAt);
    }

    /** The last epoch the child's progress lines report (they read the trainer's journaled state). */
    private int journaledEpoch() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("crash\\s+epoch\\s+(\\d+)/").matcher(output());
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    private Process start(String... args) throws Exception {
        Files.writeString(log(), "");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dgrokscope.app.progress.plain-interval=100ms", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--data", dir.resolve("data").toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
    }

    private Path log() {
        return dir.resolve("child.log");
    }

    private String output() {
        try {
            return Files.readString(log());
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private int epochInJournal(Path data) {
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            return node.summary("crash").epoch();
        }
    }

}
