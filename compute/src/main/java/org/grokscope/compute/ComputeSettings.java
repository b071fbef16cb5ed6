package org.grokscope.compute;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.grokscope.compute.backend.opencl.OpenClSettings;

/**
 * Tuning of the compute backends, read from {@code grokscope.compute} ({@code reference.conf}).
 *
 * @param threads  worker threads of the CPU backend (resolved: never 0)
 * @param lanes    gradient accumulators the batch is split over; fixes the summation order
 * @param tileRows rows per tile of the fused CPU step
 * @param spinMicros how long an idle worker thread of the CPU backend spins before it parks
 * @param opencl   settings of the OpenCL backend
 */
public record ComputeSettings(int threads, int lanes, int tileRows, int spinMicros, OpenClSettings opencl) {
    public ComputeSettings {
        if (threads < 1 || lanes < 1 || tileRows < 1) {
            throw new IllegalArgumentException("threads, lanes and tile-rows must be positive");
        }
        if (spinMicros < 0) {
            throw new IllegalArgumentException("spin-micros must not be negative");
        }
        if (opencl == null) {
            throw new IllegalArgumentException("opencl settings must not be null");
        }
    }

    /** CPU settings with the spin time and OpenCL defaults of {@code reference.conf}. */
    public ComputeSettings(int threads, int lanes, int tileRows) {
        this(threads, lanes, tileRows, ConfigFactory.load());
    }

    private ComputeSettings(int threads, int lanes, int tileRows, Config config) {
        this(threads, lanes, tileRows, config.getInt("grokscope.compute.cpu.spin-micros"), OpenClSettings.create(config));
    }

    public static ComputeSettings create(Config config) {
        Config c = config.getConfig("grokscope.compute");
        int threads = c.getInt("threads");
        if (threads <= 0) {
            threads = Runtime.getRuntime().availableProcessors();
        }
        return new ComputeSettings(threads, c.getInt("cpu.lanes"), c.getInt("cpu.tile-rows"),
                c.getInt("cpu.spin-micros"), OpenClSettings.create(config));
    }

    public static ComputeSettings defaults() {
        return create(ConfigFactory.load());
    }

    public ComputeSettings withThreads(int newThreads) {
        return new ComputeSettings(newThreads, lanes, tileRows, spinMicros, opencl);
    }

    public ComputeSettings withOpenCl(OpenClSettings newOpencl) {
        return new ComputeSettings(threads, lanes, tileRows, spinMicros, newOpencl);
    }
}
