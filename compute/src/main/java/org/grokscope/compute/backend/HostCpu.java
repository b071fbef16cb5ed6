package org.grokscope.compute.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What CPU a benchmark ran on: the model name and the vector extensions OpenBLAS picks its kernels
 * by. CPU epochs/s only compare between machines with the same extensions (the readout sgemm ran
 * at 130–150 GFLOP/s on the AVX-512 hosts of the compute notes, 74–107 on the AVX2 hosts of
 * docs/benchmarks.md), so {@code bench} prints this beside its table.
 */
public final class HostCpu {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    // widest first: the first one present is what the sgemm kernels can use
    private static final List<String> VECTOR_FLAGS = List.of("avx512f", "avx2", "avx", "sse4_2");

    private HostCpu() {
    }

    /** This machine, e.g. "AMD EPYC; avx2 fma, no avx512f"; "unknown" where /proc/cpuinfo is absent. */
    public static String describe() {
        try {
            return describe(Files.readString(CPUINFO));
        } catch (IOException | SecurityException e) {
            return "unknown (" + CPUINFO + " not readable)";
        }
    }

    /** The description of a /proc/cpuinfo text (its first processor's model name and flags). */
    static String describe(String cpuinfo) {
        String model = field(cpuinfo, "model name");
        Set<String> flags = Arrays.stream(field(cpuinfo, "flags").split("\\s+"))
                .filter(f -> !f.isEmpty()).collect(Collectors.toSet());
        String widest = VECTOR_FLAGS.stream().filter(flags::contains).findFirst().orElse(null);
        StringBuilder s = new StringBuilder(model.isEmpty() ? "unknown model" : model).append("; ");
        if (widest == null) {
            s.append(flags.isEmpty() ? "no flags listed" : "no AVX or SSE4.2");
        } else {
            s.append(widest);
            if (flags.contains("fma")) {
                s.append(" fma");
            }
            if (!widest.equals("avx512f")) {
                s.append(", no avx512f");
            }
        }
        return s.toString();
    }

    /** The value of the first "name : value" line with exactly that name; "" if there is none. */
    private static String field(String cpuinfo, String name) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return "";
    }
}
