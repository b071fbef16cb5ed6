package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunSpecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** End to end through the CLI on a small run: curve, recorded spec, t_fit and t_grok. */
class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void smallRunGroksAndRecordsItsSpec() throws Exception {
        Path spec = Files.writeString(dir.resolve("small.conf"),
                "task = add\np = 23\nalpha = 0.8\nwidth = 128\noptimizer { type = adamw, lr = 0.01, weight-decay = 1 }\n"
                        + "epochs = 400\n");
        Path csv = dir.resolve("out/small.csv");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));

        int code = cl.execute("train", spec.toString(), "--no-progress", "--out", csv.toString(), "--init-seed", "7");

        assertEquals(0, code, () -> err.toString());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(CurveWriter.HEADER, rows.get(0));
        assertEquals(401, rows.size());
        String[] last = rows.get(400).split(",", -1);
        assertEquals("400", last[0]);
        assertTrue(Double.parseDouble(last[4]) >= 0.95, "test accuracy at the end: " + last[4]);
        String text = out.toString();
        assertTrue(text.matches("(?s).*t_fit = \\d+, t_grok = \\d+ \\(delay -?\\d+\\).*"), text);

        String recorded = Files.readString(dir.resolve("out/small.spec.conf"));
        RunSpec back = RunSpecs.fromConfig(com.typesafe.config.ConfigFactory.parseString(recorded));
        assertEquals(7L, back.initSeed(), "flags win over the file and are recorded");
        assertEquals(23, back.p());
        assertEquals(0.01, back.optimizer().lr());
    }

    @Test
    void flagsOverrideTheFile() throws Exception {
        Path spec = Files.writeString(dir.resolve("f.conf"), "p = 23\nwidth = 16\nepochs = 3\n");
        SpecOptions options = new SpecOptions();
        new CommandLine(options).parseArgs("--width", "32", "--set", "optimizer.eps=1e-6");
        RunSpec s = options.resolve(spec);
        assertEquals(32, s.width());
        assertEquals(23, s.p());
        assertEquals(3, s.epochs());
        assertEquals(1e-6, s.optimizer().eps());
    }

    @Test
    void aGdSpecFileMayListAdamwFieldsAndAFlagMayRepeatItsValue() throws Exception {
        // the resolved spec beside every curve lists every field, betas included, and must read back
        Path spec = Files.writeString(dir.resolve("gd.conf"),
                "p = 23\nwidth = 16\nepochs = 3\noptimizer { type = gd, lr = 10, beta1 = 0.5, eps = 1e-6 }\n");
        SpecOptions options = new SpecOptions();
        new CommandLine(options).parseArgs("--p", "29", "--set", "p=29");
        RunSpec s = options.resolve(spec);
        assertEquals(29, s.p());
        assertEquals(0.5, s.optimizer().beta1());
    }

    @Test
    void specBaseNamesMakeUsableRunIds() {
        assertEquals("add-p97", SpecOptions.baseName(Path.of("config/add-p97.conf")));
        // a leading '-' would make the run id read as an option by resume, stop and export
        assertEquals("_x", SpecOptions.baseName(Path.of("./-x.conf")));
        assertEquals("a_b_c", SpecOptions.baseName(Path.of("a b#c.conf")));
        String longName = "n".repeat(250);
        assertEquals(SpecOptions.MAX_BASE_NAME, SpecOptions.baseName(Path.of(longName + ".conf")).length(),
                "snapshot file names embed the run id");
    }
}
