package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.task.Dataset;
import org.grokscope.compute.train.TrainingRun;
import org.grokscope.protocol.RunSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export writes what another tool needs to recompute anything: the spec with its seeds (enough
 * to retrain the run bit for bit), the split, and each checkpoint's weights as numpy archives.
 */
class ExportCommandTest {
    @TempDir
    static Path dir;
    static Path out;
    static RunSpec spec;

    @BeforeAll
    static void exportOneRun() throws IOException {
        Path data = dir.resolve("data");
        Path specFile = Files.writeString(dir.resolve("s.conf"),
                "p = 13\nwidth = 24\nepochs = 30\ncheckpoint-every = 10\nsplit-seed = 5\ninit-seed = 9\n");
        Cli.Result r = Cli.run("run", specFile.toString(), "--id", "r1", "--data", data.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        out = dir.resolve("out");
        Cli.Result e = Cli.run("export", "r1", "--data", data.toString(), "--out", out.toString(), "--weights");
        assertEquals(0, e.code(), e.err());
        spec = new SpecOptions().resolve(specFile);
    }

    /** The exported spec retrains the same run: same curve, to the last printed digit. */
    @Test
    void specRetrainsTheRun() throws IOException {
        Path data2 = dir.resolve("data2");
        Cli.Result r = Cli.run("run", out.resolve("r1-spec.conf").toString(), "--id", "again", "--data", data2.toString(),
                "--no-progress");
        assertEquals(0, r.code(), r.err());
        Path out2 = dir.resolve("out2");
        assertEquals(0, Cli.run("export", "again", "--data", data2.toString(), "--out", out2.toString()).code());
        assertEquals(Files.readAllLines(out.resolve("r1-curve.csv")), Files.readAllLines(out2.resolve("again-curve.csv")));
    }

    /** Every pair once, its label (n + m) mod p, and the train part is the one the run trained on. */
    @Test
    void splitIsTheRunsSplit() throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("r1-split.csv"));
        assertEquals("n,m,label,set", lines.get(0));
        assertEquals(13 * 13, lines.size() - 1);
        Set<String> train = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            int n = Integer.parseInt(f[0]);
            int m = Integer.parseInt(f[1]);
            assertEquals((n + m) % 13, Integer.parseInt(f[2]), line);
            if (f[3].equals("train")) {
                train.add(n + "," + m);
            } else {
                assertEquals("test", f[3], line);
            }
        }
        Set<String> trained = new HashSet<>();
        try (TrainingRun run = TrainingRun.create(spec, ComputeSettings.defaults())) {
            Dataset d = run.split().train();
            for (int i = 0; i < d.size(); i++) {
                trained.add(d.n()[i] + "," + d.m()[i]);
            }
        }
        assertEquals(trained, train);
    }

    /** The last checkpoint's arrays are the weights of the same spec trained in-process, bit for bit. */
    @Test
    void weightsAreNumpyArchivesOfTheCheckpoints() throws IOException {
        for (int e : new int[] {10, 20, 30}) {
            assertTrue(Files.exists(out.resolve(String.format("r1-epoch-%06d.npz", e))), "checkpoint " + e);
        }
        float[] w1;
        float[] w2;
        try (ZipFile z = new ZipFile(out.resolve("r1-epoch-000030.npz").toFile())) {
            w1 = npy(z.getInputStream(z.getEntry("W1.npy")).readAllBytes(), 24, 26);
            w2 = npy(z.getInputStream(z.getEntry("W2.npy")).readAllBytes(), 13, 24);
        }
        try (TrainingRun run = TrainingRun.create(spec, ComputeSettings.defaults())) {
            for (int e = 0; e < 30; e++) {
                run.runEpoch();
            }
            assertArrayEquals(run.engine().weights().w1(), w1);
            assertArrayEquals(run.engine().weights().w2(), w2);
        }
    }

    /** Reads a .npy by the format's spec: magic, v1.0, header length, dict, data on a 64-byte boundary. */
    private static float[] npy(byte[] bytes, int rows, int cols) {
        assertEquals("\u0093NUMPY", new String(bytes, 0, 6, StandardCharsets.ISO_8859_1));
        assertEquals(1, bytes[6]);
        assertEquals(0, bytes[7]);
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLength) % 64, "data aligned");
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.endsWith("\n"), header);
        Matcher m = Pattern.compile("\\{'descr': '<f4', 'fortran_order': False, 'shape': \\((\\d+), (\\d+)\\), \\} *\n")
                .matcher(header);
        assertTrue(m.matches(), header);
        assertEquals(rows, Integer.parseInt(m.group(1)));
        assertEquals(cols, Integer.parseInt(m.group(2)));
        assertEquals(10 + headerLength + 4 * rows * cols, bytes.length);
        float[] data = new float[rows * cols];
        ByteBuffer.wrap(bytes, 10 + headerLength, 4 * rows * cols).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return data;
    }
}
