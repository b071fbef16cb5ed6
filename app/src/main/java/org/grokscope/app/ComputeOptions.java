package org.grokscope.app;

import com.typesafe.config.Config;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.protocol.SpecException;
import picocli.CommandLine.Option;

/** The compute flags of the verbs that train in this process. */
public final class ComputeOptions {
    /** Each worker owns tile buffers and takes lanes in turn; past the core count they only contend. */
    static final int MAX_THREADS = 1024;

    @Option(names = "--threads", description = "CPU worker threads (default: all cores)")
    Integer threads;

    /** grokscope.compute from config, with --threads applied. */
    ComputeSettings resolve(Config config) {
        ComputeSettings compute = ComputeSettings.create(config);
        if (threads == null) {
            return compute;
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new SpecException("--threads", "must be in [1, " + MAX_THREADS + "], got " + threads);
        }
        return compute.withThreads(threads);
    }
}
