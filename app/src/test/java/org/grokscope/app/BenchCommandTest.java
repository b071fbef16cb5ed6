package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.grokscope.compute.backend.opencl.OpenClDevices;
import org.junit.jupiter.api.Test;

/** {@code grokscope bench}: the cpu step beside its GEMMs alone; on OpenCL the device it names, single and batched. */
class BenchCommandTest {
    private static void assumeOpenCl() {
        // CI installs pocl: there a missing platform is a broken build, not a reason to skip
        org.junit.jupiter.api.Assertions.assertFalse("true".equals(System.getenv("CI")) && OpenClDevices.list().isEmpty(),
                "CI=true but no OpenCL platform: install pocl-opencl-icd ocl-icd-libopencl1");
        assumeTrue(!OpenClDevices.list().isEmpty(),
                "skipped: no OpenCL platform on this machine (CI installs pocl-opencl-icd ocl-icd-libopencl1)");
    }

    @Test
    void cpuPrintsTheStepBesideItsGemmsAlone() {
        // 7 epochs in 5 blocks: every epoch asked for is timed and reported, none rounded away
        Cli.Result r = Cli.run("bench", "--p", "11", "--width", "16", "--backends", "cpu", "--timed-epochs", "7");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| cpu | ") && l.contains(" | 7 | ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| cpu, GEMMs only | ") && l.contains(" | 7 | ")), r.out());
        Cli.Result few = Cli.run("bench", "--p", "11", "--width", "16", "--backends", "cpu", "--timed-epochs", "2");
        assertEquals(0, few.code(), few.err());
        assertTrue(few.out().lines().anyMatch(l -> l.startsWith("| cpu | ") && l.contains(" | 2 | ")), few.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| cpu, GEMMs only | ")), r.out());
        assertTrue(r.out().contains("cpu step / its GEMMs alone = "), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("reference: one OpenBLAS sgemm \\(11×16\\)·\\(16×\\d+\\) "
                + "on \\d+ OpenBLAS threads = \\d+\\.\\d GFLOP/s")), r.out());
        // the host's CPU and vector extensions, so numbers from different machines can be told apart
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("CPU: ") && l.length() > "CPU: ".length()), r.out());
    }

    @Test
    void openclPrintsItsDeviceAndEpochsPerSecond() {
        assumeOpenCl();
        Cli.Result r = Cli.run("bench", "--p", "11", "--width", "16", "--backend", "opencl", "--timed-epochs", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| opencl | "), r.out());
        assertTrue(r.out().contains("OpenCL"), r.out());
        assertTrue(r.out().contains("ran on"), r.out());
    }

    @Test
    void batchedModePrintsAggregateRatesPerR() {
        assumeOpenCl();
        Cli.Result r = Cli.run("bench", "--p", "11", "--width", "16", "--backend", "opencl", "--batch", "1,3", "--timed-epochs", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("device: "), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| 1 | 2 | ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| 3 | 2 | ")), r.out());
        assertTrue(r.out().contains("R=3/R=1"), r.out());
        assertTrue(r.out().contains("ran on"), r.out());
    }

    @Test
    void batchedModeNeedsOpenCl() {
        Cli.Result r = Cli.run("bench", "--p", "11", "--width", "16", "--backends", "cpu", "--batch", "2");
        assertEquals(Main.USER_ERROR, r.code(), r.out());
        assertTrue(r.err().contains("--batch"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
