package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.grokscope.actors.FaultHook;
import org.grokscope.actors.RunSummary;
import org.grokscope.actors.RunSystem;
import org.grokscope.protocol.RunStatus;
import org.grokscope.protocol.events.RunEvent;
import org.grokscope.protocol.events.RunResumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * grokscope sweep end to end: a sweep interrupted (SIGTERM, as Ctrl-C) after two of its eight runs
 * ended is run again; the ended runs are not retrained, the paused one is resumed, the missing ones
 * are started, and the report has every cell. Bad sweep files and edited sweep files are refused.
 */
class SweepCommandTest {
    private static final String SWEEP = """
            name = t
            max-concurrent = 1
            base { task = add, p = 23, width = 64, epochs = 1500, eval-every = 10, checkpoint-every = 500 }
            grid {
              alpha = [0.5, 0.8]
              seed = [1, 2]
              optimizer {
                gd { type = gd, lr = 200 }
                adamw { type = adamw, lr = 0.01, weight-decay = 1 }
              }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void badSweepFilesAreOneLineUserErrorsAndWriteNothing() throws Exception {
        Path data = dir.resolve("data");
        for (String[] bad : new String[][] {
            {SWEEP.replace("alpha = [0.5, 0.8]", "alpha = [0.5, 1.5]"), "grid.alpha: "},
            {SWEEP.replace("lr = 200", "lr = 0"), "grid.optimizer.gd.lr: "},
            {SWEEP.replace("p = 23", "p = 23, wdith = 3"), "base.wdith: unknown field"},
            {SWEEP.replace("seed = [1, 2]", "seed = 1"), "grid.seed: must be a list"},
            {SWEEP + "\nextra = 1\n", "extra: unknown sweep field"},
            {"name = t\ngrid { alpha = [0.5 }", "sweep: cannot parse"}}) {
            Path file = Files.writeString(dir.resolve("bad.conf"), bad[0]);
            Cli.Result r = Cli.run("sweep", file.toString(), "--data", data.toString());
            assertEquals(Main.USER_ERROR, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("error: " + bad[1]), r.err());
            assertFalse(Files.exists(data), "nothing written for " + bad[1]);
        }
        Cli.Result missing = Cli.run("sweep", dir.resolve("nope.conf").toString(), "--data", data.toString());
        assertEquals(Main.USER_ERROR, missing.code());
        assertTrue(missing.err().contains("file not found"), missing.err());
    }

    @Test
    void anInterruptedSweepResumesWithoutRedoingEndedRuns() throws Exception {
        Path file = Files.writeString(dir.resolve("t.conf"), SWEEP);
        Path data = dir.resolve("data");
        List<String> ids = SweepSpec.read(file).runIds();
        assertEquals(8, ids.size());

        Process child = child("sweep", file.toString(), "--data", data.toString(), "--no-progress");
        try {
            long deadline = System.currentTimeMillis() + 180_000;
            while (!output().contains("[2/8]") && child.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(output().contains("[2/8]"), output());
        } finally {
            child.destroy(); // SIGTERM, as Ctrl-C: active runs are paused, queued ones never started
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        }
        assertTrue(output().contains("continue with: grokscope sweep " + file), output());

        Map<String, Integer> eventsBefore = new HashMap<>();
        List<String> endedBefore = new ArrayList<>();
        List<String> pausedBefore = new ArrayList<>();
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            List<String> journaled = node.runIds();
            for (String id : journaled) {
                RunSummary s = node.summary(id);
                eventsBefore.put(id, node.events(id).size());
                if (s.status() == RunStatus.COMPLETED) {
                    endedBefore.add(id);
                } else {
                    assertEquals(RunStatus.PAUSED, s.status(), id);
                    pausedBefore.add(id);
                }
            }
        }
        int missing = ids.size() - endedBefore.size() - pausedBefore.size();
        assertTrue(endedBefore.size() >= 2, "ended: " + endedBefore);
        assertTrue(missing > 0, "the interruption left runs that never started: " + eventsBefore.keySet());

        Cli.Result dry = Cli.run("sweep", file.toString(), "--data", data.toString(), "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        for (String id : ids) {
            String what = endedBefore.contains(id) ? "ended" : pausedBefore.contains(id) ? "resume" : "start";
            assertTrue(dry.out().lines().anyMatch(l -> l.matches("\\s+" + id + "\\s+" + what)), id + " " + what + "\n" + dry.out());
        }

        Cli.Result again = Cli.run("sweep", file.toString(), "--data", data.toString(), "--no-progress");
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().contains(endedBefore.size() + " ended before, " + pausedBefore.size() + " to resume, "
                + missing + " to start"), again.out());
        int lines = (int) again.out().lines().filter(l -> l.matches("\\[\\d+/\\d+] .*")).count();
        assertEquals(pausedBefore.size() + missing, lines, "one end line per run trained this time: " + again.out());

        Map<String, Integer> eventsAfter = new HashMap<>();
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            assertEquals(ids.stream().sorted().toList(), node.runIds());
            for (String id : ids) {
                RunSummary s = node.summary(id);
                assertEquals(RunStatus.COMPLETED, s.status(), id);
                assertEquals(1500, s.epoch(), id);
                assertEquals(1500, s.epochEvents(), id + ": no epoch journaled twice");
                assertTrue(s.contiguous(), id);
                List<RunEvent> events = node.events(id);
                eventsAfter.put(id, events.size());
                if (pausedBefore.contains(id)) {
                    assertTrue(events.stream().anyMatch(e -> e instanceof RunResumed), id + " was resumed");
                }
            }
        }
        for (String id : endedBefore) {
            assertEquals(eventsBefore.get(id), eventsAfter.get(id), id + " was not trained again");
        }

        Path report = data.resolve("sweeps").resolve("t");
        List<String> csv = Files.readAllLines(report.resolve(SweepReport.CSV));
        assertEquals(9, csv.size(), "header and one row per cell");
        for (String id : ids) {
            assertEquals(1, csv.stream().filter(l -> l.startsWith(id + ",")).count(), id);
            assertTrue(csv.stream().anyMatch(l -> l.startsWith(id + ",") && l.contains(",completed,1500,")), id);
        }
        String md = Files.readString(report.resolve(SweepReport.MARKDOWN));
        ids.forEach(id -> assertTrue(md.contains("| " + id + " |"), id));
        for (String name : new String[] {SweepReport.GROK_PLOT, SweepReport.HEATMAP}) {
            byte[] png = Files.readAllBytes(report.resolve(name + ".png"));
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4), name);
            assertTrue(javax.imageio.ImageIO.read(report.resolve(name + ".png").toFile()).getWidth() > 0, name);
            assertTrue(Files.readString(report.resolve(name + ".svg")).contains("<svg"), name);
        }

        // a finished sweep trains nothing and only rewrites the report
        Cli.Result third = Cli.run("sweep", file.toString(), "--data", data.toString(), "--out", dir.resolve("r").toString());
        assertEquals(0, third.code(), third.err());
        assertTrue(third.out().contains("8 ended before, 0 to resume, 0 to start"), third.out());
        assertEquals(csv, Files.readAllLines(dir.resolve("r").resolve(SweepReport.CSV)));
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            for (String id : ids) {
                assertEquals(eventsAfter.get(id), node.events(id).size(), id);
            }
        }

        // an edited sweep file would mix specs under one id: refused, naming the field
        Files.writeString(file, SWEEP.replace("lr = 200", "lr = 100"));
        Cli.Result edited = Cli.run("sweep", file.toString(), "--data", data.toString());
        assertEquals(Main.USER_ERROR, edited.code());
        assertEquals(1, edited.err().lines().count(), edited.err());
        assertTrue(edited.err().contains("was trained with another optimizer.lr"), edited.err());
    }

    /**
     * A run that ended before its onset detector and analyzer had read it (a kill right after its
     * last epochs) gets its findings when the sweep is run again. The followers are stopped as the
     * run starts, so they have read none of it.
     */
    @Test
    void runningASweepAgainCatchesUpTheFollowersOfAnEndedRun() throws Exception {
        Path file = Files.writeString(dir.resolve("c.conf"), """
                name = c
                base { task = add, p = 23, width = 64, alpha = 0.6, eval-every = 1, checkpoint-every = 100 }
                grid {
                  seed = [1]
                  optimizer { adamw { type = adamw, lr = 0.005, weight-decay = 1.0, epochs = 660 } }
                }
                """);
        Path data = dir.resolve("data");
        SweepSpec.Cell cell = SweepSpec.read(file).cells().get(0);
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            node.<org.grokscope.actors.Trainer.Reply>ask(r -> new org.grokscope.actors.RunSupervisor.StartRun(cell.runId(),
                    cell.spec(), r));
            node.system().tell(new org.grokscope.actors.RunSupervisor.StopFollowers());
            long deadline = System.currentTimeMillis() + 120_000;
            while (!node.summary(cell.runId()).status().terminal() && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(RunStatus.COMPLETED, node.summary(cell.runId()).status());
            assertTrue(node.followersBehind(cell.runId()), "the followers have read nothing");
        }
        Cli.Result again = Cli.run("sweep", file.toString(), "--data", data.toString(), "--no-progress");
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().contains("1 ended before, 0 to resume, 0 to start"), again.out());
        assertTrue(again.out().contains("of 1 ended run(s) caught up"), again.out());
        List<String> csv = Files.readAllLines(data.resolve("sweeps").resolve("c").resolve(SweepReport.CSV));
        int onset = Arrays.asList(csv.get(0).split(",")).indexOf("t_onset");
        assertTrue(onset > 0, csv.get(0));
        assertFalse(csv.get(1).split(",", -1)[onset].isEmpty(), "the onset is in the report: " + csv.get(1));
        assertTrue(Files.readString(data.resolve("alerts.jsonl")).contains("grokking-detected"));
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            assertFalse(node.followersBehind(cell.runId()));
            assertEquals(7, node.analyses(cell.runId()).size(), "one analysis per checkpoint (100 ... 600, and 660, the last epoch)");
        }
        Cli.Result third = Cli.run("sweep", file.toString(), "--data", data.toString(), "--no-progress");
        assertFalse(third.out().contains("caught up"), third.out());
    }

    /**
     * Editing a sweep file can give a finished cell a new id: adding a value whose label clashes
     * with its own (both n+m and n*m read "n_m"). The cell is the journaled run, not a new one.
     * A dry run on a data directory that does not exist creates none, and a bad --out writes nothing.
     */
    @Test
    void aCellWhoseIdChangedIsTheRunItAlreadyTrained() throws Exception {
        String one = "name = e\nbase { p = 23, width = 32, epochs = 50, eval-every = 10 }\ngrid { task = [\"n+m\"] }\n";
        Path file = Files.writeString(dir.resolve("e.conf"), one);
        Path data = dir.resolve("data");
        Cli.Result dry = Cli.run("sweep", file.toString(), "--data", data.toString(), "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("e-taskn_m") && dry.out().contains("start"), dry.out());
        assertFalse(Files.exists(data), "a dry run makes no data directory");
        Cli.Result dryZero = Cli.run("sweep", file.toString(), "--data", data.toString(), "--dry-run", "--max-concurrent", "0");
        assertEquals(Main.USER_ERROR, dryZero.code(), "a dry run checks what a run would: " + dryZero.out());
        assertTrue(dryZero.err().startsWith("error: --max-concurrent: "), dryZero.err());
        Path aFile = Files.writeString(dir.resolve("a-file"), "");
        Cli.Result badOut = Cli.run("sweep", file.toString(), "--data", data.toString(), "--out",
                aFile.resolve("r").toString());
        assertEquals(Main.USER_ERROR, badOut.code());
        assertTrue(badOut.err().startsWith("error: --out: "), badOut.err());
        assertFalse(Files.exists(data), "nothing journaled for a bad --out");

        // a lone run whose id starts like the sweep's, with the cell's very spec, is not the sweep's
        Path lone = Files.writeString(dir.resolve("lone.conf"), "p = 23\nwidth = 32\nepochs = 50\neval-every = 10\n"
                + "task = \"n+m\"\n");
        assertEquals(0, Cli.run("run", lone.toString(), "--id", "e-lone", "--data", data.toString(), "--no-progress").code());
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            assertEquals(SweepSpec.read(file).cells().get(0).spec(), node.summary("e-lone").spec(), "the same spec");
        }
        Cli.Result first = Cli.run("sweep", file.toString(), "--data", data.toString(), "--no-progress");
        assertEquals(0, first.code(), first.err());
        assertFalse(first.out().contains("is run e-lone"), first.out());
        assertTrue(first.out().contains("0 ended before, 0 to resume, 1 to start"), first.out());
        Files.writeString(file, one.replace("[\"n+m\"]", "[\"n+m\", \"n*m\"]"));
        List<SweepSpec.Cell> cells = SweepSpec.read(file).cells();
        assertTrue(cells.stream().noneMatch(c -> c.runId().equals("e-taskn_m")), "the clash renames the old cell");
        Cli.Result again = Cli.run("sweep", file.toString(), "--data", data.toString(), "--no-progress");
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().contains("is run e-taskn_m, journaled with the same spec"), again.out());
        assertTrue(again.out().contains("1 ended before, 0 to resume, 1 to start"), again.out());
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            assertEquals(3, node.runIds().size(), node.runIds().toString());
            assertTrue(node.runIds().contains("e-taskn_m"));
            assertEquals(50, node.summary("e-taskn_m").epochEvents(), "trained once");
        }
        List<String> csv = Files.readAllLines(data.resolve("sweeps").resolve("e").resolve(SweepReport.CSV));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("e-taskn_m,")), csv.toString());
    }

    /** A run left running by a process that ended without pausing it is listed as interrupted. */
    @Test
    void runsListsARunItsProcessLeftRunningAsInterrupted() throws Exception {
        Path data = dir.resolve("data");
        SweepSpec.Cell cell = SweepSpec.read(Files.writeString(dir.resolve("t.conf"), SWEEP)).cells().get(0);
        // 5 ms per epoch, so the 1500 epochs cannot all be done before the close on a fast host
        FaultHook slow = (runId, epoch) -> {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", slow)) {
            node.<org.grokscope.actors.Trainer.Reply>ask(r -> new org.grokscope.actors.RunSupervisor.StartRun("r",
                    cell.spec(), r));
            long deadline = System.currentTimeMillis() + 60_000;
            while (node.summary("r").epoch() < 20 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
        } // closed without pausing it, as a killed process leaves it
        Cli.Result runs = Cli.run("runs", "--data", data.toString());
        String line = runs.out().lines().filter(l -> l.startsWith("r ")).findFirst().orElseThrow();
        assertFalse(line.contains("1500/1500"), "still mid-run when closed: " + line);
        assertTrue(line.contains("interrupted") && line.contains("grokscope resume r --data " + data), line);
    }

    private Process child(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
    }

    private Path log() {
        return dir.resolve("child.log");
    }

    private String output() {
        try {
            return Files.exists(log()) ? Files.readString(log()) : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
