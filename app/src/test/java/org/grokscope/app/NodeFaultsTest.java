package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.grokscope.actors.FaultHook;
import org.grokscope.actors.RunSummary;
import org.grokscope.actors.RunSystem;
import org.grokscope.protocol.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults around the journal, through the CLI: unknown run ids, unusable or busy data directories,
 * a corrupt snapshot, a full disk and Ctrl-C. Each ends with a clear one-line error (or a clean
 * pause) and a non-zero exit code where something went wrong, and no other run's data is damaged.
 */
class NodeFaultsTest {
    @TempDir
    Path dir;

    private Path spec(String name, int width, int epochs, int checkpointEvery) throws Exception {
        return Files.writeString(dir.resolve(name + ".conf"), "task = add\np = 23\nalpha = 0.6\nwidth = " + width
                + "\noptimizer { type = adamw, lr = 0.01, weight-decay = 1 }\nepochs = " + epochs
                + "\ncheckpoint-every = " + checkpointEvery + "\n");
    }

    @Test
    void unknownRunIdIsAUserError() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, Cli.run("run", spec("a", 16, 20, 10).toString(), "--id", "a", "--data", data.toString(),
                "--no-progress").code());
        java.util.Map<String, String> before = JournalContents.of(data);
        for (String verb : List.of("resume", "stop")) {
            Cli.Result r = Cli.run(verb, "nope", "--data", data.toString());
            assertEquals(Main.USER_ERROR, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("no run 'nope'") && r.err().contains("runs there: a"), r.err());
        }
        Cli.Result done = Cli.run("resume", "a", "--data", data.toString());
        assertEquals(Main.USER_ERROR, done.code());
        assertTrue(done.err().contains("is completed; nothing to resume"), done.err());
        assertEquals(before, JournalContents.of(data), "the rejected commands added no event");
    }

    @Test
    void unusableDataDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Cli.Result r = Cli.run("runs", "--data", file.resolve("sub").toString());
        assertEquals(Main.USER_ERROR, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("cannot be created"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void busyDataDirectoryNamesTheOtherProcess() throws Exception {
        Path data = dir.resolve("busy");
        Process other = child("run", spec("long", 64, 100000, 0).toString(), "--id", "long", "--data", data.toString(),
                "--no-progress");
        try {
            long deadline = System.currentTimeMillis() + 30_000;
            while (!Files.exists(data.resolve("journal")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(500);
            Cli.Result r = Cli.run("runs", "--data", data.toString());
            assertEquals(Main.USER_ERROR, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("in use by another grokscope process (pid " + other.pid() + ")"), r.err());
        } finally {
            sigterm(other); // the run is paused cleanly
        }
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            RunSummary s = node.summary("long");
            assertEquals(RunStatus.PAUSED, s.status(), "Ctrl-C/SIGTERM pauses the run");
            assertTrue(s.contiguous());
        }
        String log = Files.readString(dir.resolve("child.log"));
        assertTrue(log.contains("resume with: grokscope resume long"), log);
    }

    /**
     * Runs a Ctrl-C (here SIGTERM) paused together are resumed together by one command, as the
     * pause message prints it; a second process could not open the data directory beside the first.
     * An unknown id among them moves nothing.
     */
    @Test
    void runsPausedTogetherResumeTogether() throws Exception {
        Path data = dir.resolve("together");
        Path a = spec("ta", 16, 100000, 0);
        Path b = spec("tb", 16, 100000, 0);
        Process first = child("run", a.toString(), b.toString(), "--max-concurrent", "2", "--data", data.toString(),
                "--no-progress");
        awaitLog("started tb-", 30);
        Thread.sleep(500);
        sigterm(first);
        String log = Files.readString(dir.resolve("child.log"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("resume with: grokscope resume (t[ab]-\\S+) (t[ab]-\\S+) --data")
                .matcher(log);
        assertTrue(m.find(), "one resume line for both runs: " + log);
        String ida = m.group(1);
        String idb = m.group(2);
        java.util.Map<String, Integer> before = new java.util.HashMap<>();
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            for (String id : List.of(ida, idb)) {
                assertEquals(RunStatus.PAUSED, node.summary(id).status());
                before.put(id, node.summary(id).epoch());
            }
        }

        java.util.Map<String, String> paused = JournalContents.of(data);
        Cli.Result typo = Cli.run("resume", ida, "nope", "--data", data.toString());
        assertEquals(Main.USER_ERROR, typo.code(), typo.err());
        assertTrue(typo.err().contains("no run 'nope'"), typo.err());
        assertEquals(paused, JournalContents.of(data), "an unknown id among them moves nothing");

        Files.writeString(dir.resolve("child.log"), "");
        Process second = child("resume", ida, idb, "--data", data.toString(), "--no-progress");
        awaitLog("started " + ida + " (resumed)", 30);
        awaitLog("started " + idb + " (resumed)", 30);
        Thread.sleep(1000);
        sigterm(second);
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            for (String id : List.of(ida, idb)) {
                RunSummary s = node.summary(id);
                assertEquals(RunStatus.PAUSED, s.status());
                assertTrue(s.contiguous());
                assertTrue(s.epoch() > before.get(id), id + " trained on: " + before.get(id) + " -> " + s.epoch());
            }
        }
    }

    /**
     * A trainer that does not stop within grokscope.supervisor.pause-timeout (here a chunk of 60 s
     * against a timeout of 1 ms) is named, left interrupted at its last journaled epoch, and put
     * in the resume line with the paused runs: Ctrl-C never claims a pause that did not happen.
     */
    @Test
    void aRunNotPausedInTimeIsNamedAndPutInTheResumeLine() throws Exception {
        Path data = dir.resolve("late");
        Process p = child(List.of("-Dgrokscope.trainer.chunk-duration=60s", "-Dgrokscope.supervisor.pause-timeout=1ms",
                        "-Dgrokscope.supervisor.ask-timeout=2s", "-Dgrokscope.supervisor.terminate-timeout=2s"),
                "run", spec("late", 16, 1_000_000, 0).toString(), "--id", "late", "--data", data.toString(),
                "--no-progress");
        awaitLog("started late", 30);
        Thread.sleep(500);
        sigterm(p);
        String log = Files.readString(dir.resolve("child.log"));
        assertTrue(log.contains("paused 0 run(s)"), log);
        assertTrue(log.contains("not paused within 1 ms (grokscope.supervisor.pause-timeout), stopped at their last "
                + "journaled epoch: late"), log);
        assertTrue(log.contains("resume with: grokscope resume late --data"), log);
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            RunSummary s = node.summary("late");
            assertFalse(s.status().terminal(), "left to resume: " + s.status());
            assertTrue(s.contiguous());
        }
    }

    /** What Ctrl-C does (the same shutdown hook), then waits for the process to end. */
    private static void sigterm(Process process) throws InterruptedException {
        process.destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process ended within 60 s of SIGTERM");
    }

    private void awaitLog(String text, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!Files.readString(dir.resolve("child.log")).contains(text)) {
            assertTrue(System.currentTimeMillis() < deadline, "no '" + text + "' in " + Files.readString(
                    dir.resolve("child.log")));
            Thread.sleep(100);
        }
    }

    @Test
    void corruptSnapshotFallsBackWithoutHarmingOtherRuns() throws Exception {
        Path data = dir.resolve("snap");
        Path s = spec("s", 32, 120, 20);
        assertEquals(0, Cli.run("run", s.toString(), "--id", "victim", "--data", data.toString(), "--no-progress").code());
        assertEquals(0, Cli.run("run", s.toString(), "--id", "bystander", "--data", data.toString(), "--no-progress").code());
        RunSummary before;
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            before = node.summary("bystander");
        }
        List<Path> victims = new ArrayList<>();
        try (var files = Files.list(data.resolve("snapshots"))) {
            files.filter(f -> f.getFileName().toString().contains("-victim-")).forEach(victims::add);
        }
        assertFalse(victims.isEmpty());
        for (Path v : victims) {
            Files.write(v, new byte[] {1, 2, 3, 4, 5});
        }
        // recovery skips unreadable snapshots and replays the journal instead
        Cli.Result stop = Cli.run("stop", "victim", "--data", data.toString());
        assertEquals(0, stop.code(), stop.err());
        assertTrue(stop.out().contains("victim: completed at epoch 120"), stop.out());
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            RunSummary after = node.summary("bystander");
            assertEquals(before, after, "the other run's journal is untouched");
        }
    }

    @Test
    void truncatedJournalIsReportedAndOnlyItsRunRefused() throws Exception {
        Path data = dir.resolve("cut");
        Path s = spec("c", 32, 120, 20);
        assertEquals(0, Cli.run("run", s.toString(), "--id", "first", "--data", data.toString(), "--no-progress").code());
        assertEquals(0, Cli.run("run", s.toString(), "--id", "last", "--data", data.toString(), "--no-progress").code());
        Path log;
        try (var files = Files.list(data.resolve("journal"))) {
            log = files.filter(f -> f.getFileName().toString().endsWith(".log")).findFirst().orElseThrow();
        }
        // cut off the tail: the last run's final events
        try (var channel = java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 20_000);
        }
        Cli.Result runs = Cli.run("runs", "--data", data.toString());
        assertEquals(0, runs.code(), runs.err());
        assertTrue(runs.out().lines().anyMatch(l -> l.startsWith("first ") && l.contains("completed")
                && !l.contains("DAMAGED")), runs.out());
        assertTrue(runs.out().lines().anyMatch(l -> l.startsWith("last ") && l.contains("DAMAGED")), runs.out());
        Cli.Result resume = Cli.run("resume", "last", "--data", data.toString());
        assertEquals(Main.FAILURE, resume.code(), resume.err());
        assertEquals(1, resume.err().lines().count(), resume.err());
        assertTrue(resume.err().contains("truncated or damaged"), resume.err());
    }

    @Test
    void fullDiskFailsTheRunAndKeepsTheOthers() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("tiny"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        boolean tmpfs = m.waitFor(10, TimeUnit.SECONDS) && m.exitValue() == 0;
        System.setProperty("grokscope.trainer.min-free-disk", "3m");
        ConfigFactory.invalidateCaches();
        try {
            Path data = mount.resolve("data");
            assertEquals(0, Cli.run("run", spec("ok", 16, 30, 10).toString(), "--id", "ok", "--data", data.toString(),
                    "--no-progress").code());
            if (!tmpfs) {
                // no privilege to mount a small disk here: the disk counts as full by a threshold
                // above its free space, the same pause without the race to the real ENOSPC
                long above = Files.getFileStore(mount).getUsableSpace() + (1L << 40);
                System.setProperty("grokscope.trainer.min-free-disk", Long.toString(above));
                ConfigFactory.invalidateCaches();
            }
            Cli.Result full = Cli.run("run", spec("big", 256, 100000, 10).toString(), "--id", "big", "--data", data.toString(),
                    "--no-progress");
            assertEquals(Main.FAILURE, full.code(), full.err());
            assertTrue(full.out().contains("free space, then resume"), full.out());
            assertTrue(full.out().lines().anyMatch(l -> l.startsWith("big ") && l.contains("paused")), full.out());
            Cli.Result runs = Cli.run("runs", "--data", data.toString());
            assertEquals(0, runs.code(), runs.err());
            assertTrue(runs.out().lines().anyMatch(l -> l.startsWith("ok ") && l.contains("completed")), runs.out());
        } finally {
            System.clearProperty("grokscope.trainer.min-free-disk");
            ConfigFactory.invalidateCaches();
            if (tmpfs) {
                new ProcessBuilder("umount", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The exit codes the README documents, seen by a shell: 2 for a user error (here p = 1), with
     * its one line, from Main.main's System.exit rather than from picocli's return value alone.
     */
    @Test
    void aUserErrorExitsTheProcessWithCodeTwo() throws Exception {
        Process bad = child("train", spec("bad", 16, 5, 0).toString(), "--p", "1", "--no-progress");
        assertTrue(bad.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue());
        List<String> lines = Files.readAllLines(dir.resolve("child.log"));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("error: p:") && lines.get(0).contains("[2, "), lines.toString());
    }

    private Process child(String... args) throws Exception {
        return child(List.of(), args);
    }

    private Process child(List<String> jvmOptions, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("child.log").toFile())).start();
    }
}
