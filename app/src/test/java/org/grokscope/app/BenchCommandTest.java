package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.grokscope.compute.backend.opencl.OpenClDevices;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code grokscope bench} on the OpenCL backend: the device it names, single and batched. */
class BenchCommandTest {
    private record Result(int code, String out, String err) {
    }

    private static Result bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] argv = new String[args.length + 1];
        argv[0] = "bench";
        System.arraycopy(args, 0, argv, 1, args.length);
        int code = cl.execute(argv);
        return new Result(code, out.toString(), err.toString());
    }

    private static void assumeOpenCl() {
        assumeTrue(!OpenClDevices.list().isEmpty(),
                "skipped: no OpenCL platform on this machine (CI installs pocl-opencl-icd ocl-icd-libopencl1)");
    }

    @Test
    void openclPrintsItsDeviceAndEpochsPerSecond() {
        assumeOpenCl();
        Result r = bench("--p", "11", "--width", "16", "--backend", "opencl", "--timed-epochs", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| opencl | "), r.out());
        assertTrue(r.out().contains("OpenCL"), r.out());
        assertTrue(r.out().contains("ran on"), r.out());
    }

    @Test
    void batchedModePrintsAggregateRatesPerR() {
        assumeOpenCl();
        Result r = bench("--p", "11", "--width", "16", "--backend", "opencl", "--batch", "1,3", "--timed-epochs", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("device: "), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| 1 | 2 | ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| 3 | 2 | ")), r.out());
        assertTrue(r.out().contains("R=3/R=1"), r.out());
        assertTrue(r.out().contains("ran on"), r.out());
    }

    @Test
    void batchedModeNeedsOpenCl() {
        Result r = bench("--p", "11", "--width", "16", "--backends", "cpu", "--batch", "2");
        assertEquals(Main.USER_ERROR, r.code(), r.out());
        assertTrue(r.err().contains("--batch"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
