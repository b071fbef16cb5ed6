package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.grokscope.actors.FaultHook;
import org.grokscope.actors.RunSystem;
import org.grokscope.compute.analysis.FourierMeasures;
import org.grokscope.protocol.events.CheckpointSaved;
import org.grokscope.protocol.events.RunEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Replay recomputes analyzers from journaled checkpoints, honours --set, and never writes to the journal. */
class ReplayCommandTest {
    @TempDir
    Path dir;

    private static int cli(StringWriter out, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    @Test
    void replayMatchesDirectComputationAndLeavesTheJournalAlone() throws Exception {
        Path spec = Files.writeString(dir.resolve("r.conf"),
                "p = 23\nalpha = 0.6\nwidth = 40\noptimizer { lr = 0.01, weight-decay = 1 }\nepochs = 60\ncheckpoint-every = 20\n");
        Path data = dir.resolve("data");
        assertEquals(0, cli(new StringWriter(), "run", spec.toString(), "--id", "r", "--data", data.toString(),
                "--no-progress"));
        List<RunEvent> before;
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            before = node.events("r");
        }
        Path out1 = dir.resolve("a");
        Path out2 = dir.resolve("b");
        assertEquals(0, cli(new StringWriter(), "replay", "r", "--data", data.toString(), "--out", out1.toString()));
        assertEquals(0, cli(new StringWriter(), "replay", "r", "--data", data.toString(), "--out", out2.toString(),
                "--analyzers", "ipr", "--set", "ipr.r=3"));
        List<String> rows = Files.readAllLines(out1.resolve("r-analysis.csv"));
        assertEquals(4, rows.size(), "header and checkpoints 20, 40, 60");
        CheckpointSaved last = (CheckpointSaved) before.stream().filter(e -> e instanceof CheckpointSaved)
                .reduce((a, b) -> b).orElseThrow();
        FourierMeasures m = FourierMeasures.of(23, 40, last.w1(), last.w2(), 2, 36);
        String[] header = rows.get(0).split(",");
        String[] lastRow = rows.get(3).split(",");
        assertEquals("60", lastRow[0]);
        assertEquals("ipr_u", header[1]);
        assertEquals(m.iprU(), Double.parseDouble(lastRow[1]), 1e-8 * m.iprU());
        String r3 = Files.readAllLines(out2.resolve("r-analysis.csv")).get(3).split(",")[1];
        assertNotEquals(lastRow[1], r3, "a changed parameter gives new numbers");
        assertEquals(FourierMeasures.of(23, 40, last.w1(), last.w2(), 3, 36).iprU(), Double.parseDouble(r3), 1e-8);
        assertTrue(Files.readString(out2.resolve("r-analysis.jsonl")).contains("ipr.r=3"));
        // with the live analyzers' parameters, replay's rows are export's, line for line: one schema
        Path exported = dir.resolve("e");
        assertEquals(0, cli(new StringWriter(), "export", "r", "--data", data.toString(), "--out", exported.toString()));
        List<String> live = Files.readAllLines(exported.resolve("r-analysis.jsonl"));
        assertEquals(3, live.size());
        // counts as integers, histograms as arrays (the journal stores both flattened, as doubles)
        assertTrue(live.get(2).contains("\"phase_histogram\":[")
                && live.get(2).matches(".*\"frequencies_used\":\\d+,.*"), live.get(2));
        assertEquals(live, Files.readAllLines(out1.resolve("r-analysis.jsonl")));
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            assertEquals(before, node.events("r"), "training events untouched");
        }
    }

    @Test
    void aRunWithoutCheckpointsGivesATableWithItsHeader() throws Exception {
        Path data = dir.resolve("data");
        // diverges in its first epochs, before the first checkpoint
        Path spec = Files.writeString(dir.resolve("div.conf"), "p = 5\n");
        cli(new StringWriter(), "run", spec.toString(), "--id", "div", "--p", "5", "--width", "8", "--optimizer", "gd", "--lr", "1e12",
                "--epochs", "100", "--checkpoint-every", "50", "--data", data.toString(), "--no-progress");
        StringWriter out = new StringWriter();
        assertEquals(0, cli(out, "replay", "div", "--data", data.toString(), "--out", dir.resolve("o").toString()));
        assertTrue(out.toString().contains("replayed 0 checkpoints"), out.toString());
        assertEquals(List.of("epoch,ipr_u,ipr_v,ipr_w,phase_resultant_length,frequencies_used,ffs_w1,fcr_w1,ffs_w2,fcr_w2"),
                Files.readAllLines(dir.resolve("o").resolve("div-analysis.csv")));
    }
}
