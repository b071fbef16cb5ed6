package org.grokscope.compute.backend.opencl;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Locale;

/**
 * Tuning of the OpenCL backend, read from {@code grokscope.compute.opencl} ({@code reference.conf}).
 *
 * @param device    which OpenCL device: {@code auto} (the first GPU, else the first device) or a
 *                  case-insensitive part of a device name
 * @param gemm      GEMM kernels: {@code tiled} (local-memory tiles), {@code simple} (one work item
 *                  per output, no barriers) or {@code auto} (tiled on GPUs, simple elsewhere)
 * @param tile      edge of the square GEMM tiles, a multiple of 4; work groups of the tiled GEMMs
 *                  are tile × tile, and each run's rows are padded to a multiple of it
 * @param localSize work-group size of the one-dimensional kernels
 * @param cpuOnlyDrivers OpenCL drivers (parts of the library names in the ICD files) that offer no
 *                  GPU: when every installed driver is one of them, {@code backend = auto} takes
 *                  the CPU backend without loading OpenCL at all
 */
public record OpenClSettings(String device, Gemm gemm, int tile, int localSize, List<String> cpuOnlyDrivers) {

    /** Settings that probe every installed driver. */
    public OpenClSettings(String device, Gemm gemm, int tile, int localSize) {
        this(device, gemm, tile, localSize, List.of());
    }

    /** How the three GEMMs of the step are written. */
    public enum Gemm {
        AUTO, TILED, SIMPLE
    }

    public OpenClSettings {
        if (device == null || device.isBlank()) {
            throw new IllegalArgumentException("opencl.device must be auto or part of a device name");
        }
        cpuOnlyDrivers = List.copyOf(cpuOnlyDrivers);
        if (tile < 4 || tile > 64 || tile % 4 != 0 || localSize < 1) {
            throw new IllegalArgumentException("opencl.tile must be a multiple of 4 in [4, 64] (the simple GEMMs "
                    + "take rows in fours) and opencl.local-size positive, got " + tile + " and " + localSize);
        }
    }

    public static OpenClSettings create(Config config) {
        Config c = config.getConfig("grokscope.compute.opencl");
        String gemm = c.getString("gemm").toUpperCase(Locale.ROOT);
        Gemm g;
        try {
            g = Gemm.valueOf(gemm);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("grokscope.compute.opencl.gemm must be auto, tiled or simple, got "
                    + c.getString("gemm"), e);
        }
        return new OpenClSettings(c.getString("device"), g, c.getInt("tile"), c.getInt("local-size"),
                c.getStringList("cpu-only-drivers"));
    }

    public OpenClSettings withGemm(Gemm newGemm) {
        return new OpenClSettings(device, newGemm, tile, localSize, cpuOnlyDrivers);
    }
}
