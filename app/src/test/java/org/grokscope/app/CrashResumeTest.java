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
 * SIGKILL at five random moments and resumed each time, must end with exactly one EpochCompleted
 * per epoch and final weights bit-identical to an uninterrupted run.
 */
class CrashResumeTest {
    private static final Path SPEC = Path.of("..", "config", "examples", "add-p97-adamw.conf");

    @TempDir
    Path dir;

    @Test
    void killedFiveTimesAndResumedEqualsUninterrupted() throws Exception {
        Path data = dir.resolve("data");
        Random random = new Random(20261121L);
        List<Integer> killedAt = new ArrayList<>();
        Process p = start("run", SPEC.toString(), "--id", "crash");
        for (int kill = 0; kill < 5; kill++) {
            Thread.sleep(3000 + random.nextInt(5000));
            assertTrue(p.isAlive(), "the run should still be training at kill " + (kill + 1));
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
        }
        // a kill can land while a resumed run recomputes epochs since its checkpoint; the journal
        // never goes back, and the kills must have interrupted training at several places
        for (int i = 1; i < killedAt.size(); i++) {
            assertTrue(killedAt.get(i) >= killedAt.get(i - 1), "journal never shrinks: " + killedAt);
        }
        assertTrue(killedAt.stream().distinct().count() >= 3, "kills spread over the run: " + killedAt);
    }

    private Process start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--data", dir.resolve("data").toString(), "--no-progress"));
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
