package org.grokscope.compute.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backend = auto} reads the OpenCL ICD files before loading any driver: with only CPU
 * drivers (pocl) installed it must not load OpenCL, whose LLVM would replace the JVM's signal
 * handlers in a plain CPU run.
 */
class AutoProbeTest {
    @TempDir
    Path dir;

    @Test
    void onlyCpuDriversMeanNoProbe() throws Exception {
        Files.writeString(dir.resolve("pocl.icd"), "libpocl.so.2.10.0\n");
        List<String> drivers = OpenClDevices.installedDrivers(dir);
        assertEquals(List.of("libpocl.so.2.10.0"), drivers);
        assertFalse(OpenClDevices.mayOfferGpu(drivers, List.of("pocl")));
        assertFalse(OpenClDevices.mayOfferGpu(OpenClDevices.installedDrivers(dir.resolve("missing")), List.of("pocl")),
                "no vendor files: no driver to probe");
    }

    @Test
    void aGpuDriverIsProbed() throws Exception {
        Files.writeString(dir.resolve("pocl.icd"), "libpocl.so.2.10.0\n");
        Files.writeString(dir.resolve("nvidia.icd"), "libnvidia-opencl.so.1\n");
        Files.writeString(dir.resolve("README"), "not an icd file\n");
        List<String> drivers = OpenClDevices.installedDrivers(dir);
        assertEquals(2, drivers.size(), drivers.toString());
        assertTrue(OpenClDevices.mayOfferGpu(drivers, List.of("pocl")));
        assertTrue(OpenClDevices.mayOfferGpu(List.of("libpocl.so.2"), List.of()), "an empty list probes everything");
        assertTrue(OpenClDevices.mayOfferGpu(OpenClDevices.installedDrivers(dir.resolve("nvidia.icd")), List.of("pocl")),
                "OCL_ICD_VENDORS may name one file");
    }
}
