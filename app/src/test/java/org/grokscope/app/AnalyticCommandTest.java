package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * grokscope analytic: the accuracy table and its plot, the solution journaled as a run that runs,
 * replay and plot --compare read, and one-line refusals of bad input.
 */
class AnalyticCommandTest {
    @TempDir
    Path dir;

    @Test
    void tablePerWidthAndActivationWithPlot() throws Exception {
        Path png = dir.resolve("fig/acc.png");
        Cli.Result r = Cli.run("analytic", "--task", "add", "--p", "23", "--widths", "4,110", "--activation", "quad,relu",
                "--seeds", "3", "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(2).matches("\\s*width\\s+quad\\s+relu\\s*"), lines.get(2));
        String[] narrow = lines.get(3).trim().split("\\s+");
        String[] wide = lines.get(4).trim().split("\\s+");
        assertEquals("4", narrow[0]);
        // N=4 uses 4 of the 11 frequencies: far from the delta function; N=110 covers each 10 times
        assertTrue(Double.parseDouble(narrow[1]) < 0.9, lines.get(3));
        assertEquals("110", wide[0]);
        assertEquals("1.0000", wide[1], lines.get(4));
        assertEquals("±", wide[2]);
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(bytes, 4));
    }

    @Test
    void savedSolutionIsARunThatReplayAndPlotCompareRead() throws Exception {
        Path data = dir.resolve("data");
        Path spec = Files.writeString(dir.resolve("t.conf"),
                "p = 23\nalpha = 0.6\nwidth = 40\noptimizer { lr = 0.01, weight-decay = 1 }\nepochs = 60\ncheckpoint-every = 20\n");
        assertEquals(0, Cli.run("run", spec.toString(), "--id", "trained", "--data", data.toString(), "--no-progress").code());
        Cli.Result saved = Cli.run("analytic", "--p", "23", "--widths", "110", "--activation", "quad", "--seeds", "1",
                "--save", "ana", "--data", data.toString());
        assertEquals(0, saved.code(), saved.err());
        assertTrue(saved.out().contains("saved as run ana"), saved.out());
        assertTrue(saved.out().contains("grokscope plot ana --data " + data), "the hint works as printed: " + saved.out());
        // the live analyzer has read it, as it reads a trained run
        Path exported = dir.resolve("export");
        assertEquals(0, Cli.run("export", "ana", "--data", data.toString(), "--out", exported.toString()).code());
        assertTrue(Files.readString(exported.resolve("ana-spec.conf")).contains(
                "# analytic weights, not trained: grokscope analytic --task \"add\" --p 23 --widths 110 --activation quad"),
                "the exported spec says how to rebuild weights no run can train");
        List<String> analyses = Files.readAllLines(exported.resolve("ana-analysis.jsonl"));
        assertEquals(1, analyses.size(), analyses.toString());
        assertTrue(analyses.get(0).contains("\"epoch\":1,") && analyses.get(0).contains("\"ipr_u\":1.0000"), analyses.get(0));

        Cli.Result runs = Cli.run("runs", "--data", data.toString());
        String anaLine = runs.out().lines().filter(l -> l.startsWith("ana ")).findFirst().orElseThrow();
        assertTrue(anaLine.contains("completed") && anaLine.contains("analytic weights, N=110 quad"), anaLine);
        assertTrue(anaLine.matches(".* n/a +n/a .*"), "no t_fit or t_grok for weights that were never trained: " + anaLine);

        Path replay = dir.resolve("replay");
        assertEquals(0, Cli.run("replay", "ana", "--data", data.toString(), "--out", replay.toString()).code());
        List<String> csv = Files.readAllLines(replay.resolve("ana-analysis.csv"));
        assertEquals(2, csv.size(), "one checkpoint");
        int col = Arrays.asList(csv.get(0).split(",")).indexOf("ipr_u");
        assertEquals(1.0, Double.parseDouble(csv.get(1).split(",")[col]), 1e-6, "one frequency per neuron");

        Path plots = dir.resolve("plots");
        Cli.Result plot = Cli.run("plot", "trained", "--compare", "ana", "--data", data.toString(), "--out", plots.toString());
        assertEquals(0, plot.code(), plot.err());
        Path alone = dir.resolve("alone");
        assertEquals(0, Cli.run("plot", "trained", "--data", data.toString(), "--out", alone.toString()).code());
        for (String name : new String[] {"accuracy", "ipr", "phases"}) {
            // SVG text is drawn as outlines, so compare the pictures: the reference adds series
            assertFalse(Arrays.equals(Files.readAllBytes(alone.resolve(name + ".png")),
                    Files.readAllBytes(plots.resolve(name + ".png"))), name + " shows the reference");
        }
        for (String name : new String[] {"loss", "norms", "dft-heatmap"}) {
            assertArrayEquals(Files.readAllBytes(alone.resolve(name + ".png")), Files.readAllBytes(plots.resolve(name + ".png")),
                    name + " is about the run alone");
        }
        // the analytic run alone plots too
        assertEquals(0, Cli.run("plot", "ana", "--data", data.toString(), "--out", dir.resolve("p2").toString()).code());

        Cli.Result again = Cli.run("analytic", "--p", "23", "--widths", "110", "--seeds", "1", "--save", "ana",
                "--data", data.toString());
        assertEquals(Main.USER_ERROR, again.code());
        assertEquals("error: --save: run 'ana' already exists in " + data.toAbsolutePath().normalize(),
                again.err().strip().replace(data.toString(), data.toAbsolutePath().normalize().toString()));
        assertEquals("", again.out(), "nothing computed for a taken id");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "zero width|--widths 0|--widths:|[1, 65536]",
        "width not a number|--widths 50,abc|--widths:|'abc'",
        "no seeds|--seeds 0|--seeds:|[1, 10000]",
        "cube has no construction|--task cube|task:|no analytic construction",
        "quad has no construction|--task n^2+n*m+m^2|task:|not of the form F(f1(n) + f2(m))",
        "odd activation|--activation tanh|activation:|no cos(A+B) component",
        "unknown activation|--activation swish|activation:|quad",
        "save with two widths|--widths 50,100 --save x|--save:|one width",
        "plot file type|--plot out.pdf|--plot:|.png or .svg",
        "unknown readout|--readout both|--readout:|one-branch",
        "p too small|--p 1|p:|[2, 4096]",
        "mul needs room for detectors|--task mul --p 7 --widths 2|width:|at least 3",
    })
    void badInputIsOneLineAndExitTwo(String name, String args, String field, String detail) {
        List<String> argv = new java.util.ArrayList<>(List.of("analytic", "--data", dir.resolve("d").toString()));
        argv.addAll(Arrays.asList(args.split(" ")));
        Cli.Result r = Cli.run(argv.toArray(String[]::new));
        assertEquals(Main.USER_ERROR, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: " + field), r.err());
        assertTrue(r.err().contains(detail), r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(dir.resolve("d")), "nothing written");
    }
}
