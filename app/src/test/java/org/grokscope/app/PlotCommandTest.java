package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** plot writes every figure as a decodable PNG and an SVG. */
class PlotCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesEveryFigure() throws Exception {
        Path spec = Files.writeString(dir.resolve("p.conf"),
                "p = 23\nalpha = 0.6\nwidth = 40\noptimizer { lr = 0.01, weight-decay = 1 }\nepochs = 80\ncheckpoint-every = 20\n");
        Path data = dir.resolve("data");
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, cl.execute("run", spec.toString(), "--id", "p", "--data", data.toString(), "--no-progress"));
        Path out = dir.resolve("plots");
        CommandLine plot = Main.commandLine();
        StringWriter err = new StringWriter();
        plot.setErr(new PrintWriter(err));
        plot.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, plot.execute("plot", "p", "--data", data.toString(), "--out", out.toString()), err.toString());
        for (String name : new String[] {"loss", "accuracy", "norms", "ipr", "phases", "dft-heatmap", "function-dft"}) {
            byte[] png = Files.readAllBytes(out.resolve(name + ".png"));
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4), name);
            assertTrue(javax.imageio.ImageIO.read(out.resolve(name + ".png").toFile()).getWidth() > 0, name);
            assertTrue(Files.readString(out.resolve(name + ".svg")).contains("<svg"), name);
        }
        Path exported = dir.resolve("export");
        CommandLine export = Main.commandLine();
        export.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, export.execute("export", "p", "--data", data.toString(), "--out", exported.toString()));
        assertEquals(81, Files.readAllLines(exported.resolve("p-curve.csv")).size(), "header and 80 epochs");
        java.util.List<String> analyses = Files.readAllLines(exported.resolve("p-analysis.jsonl"));
        assertEquals(4, analyses.size(), "one live analysis per checkpoint (20, 40, 60, 80)");
        assertTrue(analyses.get(3).contains("\"epoch\":80") && analyses.get(3).contains("ipr_u"), analyses.get(3));
    }

    /** A diverged run ends in infinite losses, which the charts draw as a gap instead of failing. */
    @Test
    void plotsADivergedRun() throws Exception {
        Path spec = Files.writeString(dir.resolve("d.conf"),
                "p = 11\nwidth = 16\noptimizer { type = gd, lr = 100 }\nepochs = 50\ncheckpoint-every = 10\n");
        Path data = dir.resolve("data");
        Cli.Result run = Cli.run("run", spec.toString(), "--id", "dv", "--data", data.toString(), "--no-progress");
        assertTrue(run.out().contains("diverged"), run.out() + run.err());
        org.grokscope.actors.RunSummary s;
        try (org.grokscope.actors.RunSystem node = org.grokscope.actors.RunSystem.open(data,
                com.typesafe.config.ConfigFactory.load(), 1, "test", org.grokscope.actors.FaultHook.NONE)) {
            s = node.summary("dv");
        }
        assertTrue(Double.isInfinite(s.last().trainLoss()), "the premise: an infinite loss, got " + s.last());
        Path out = dir.resolve("dv-plots");
        Cli.Result plot = Cli.run("plot", "dv", "--data", data.toString(), "--out", out.toString());
        assertEquals(0, plot.code(), plot.err());
        for (String name : new String[] {"loss", "accuracy", "norms"}) {
            assertTrue(javax.imageio.ImageIO.read(out.resolve(name + ".png").toFile()).getWidth() > 0, name);
        }
        // it diverged before its first checkpoint: the Fourier plots are left out, and the output says why
        assertEquals(null, s.lastCheckpoint());
        assertTrue(plot.out().contains("no checkpoint for the Fourier plots"), plot.out());
        assertFalse(Files.exists(out.resolve("ipr.png")));
    }
}
