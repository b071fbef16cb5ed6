package org.grokscope.app;

import com.typesafe.config.Config;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.protocol.SpecException;
import picocli.CommandLine.Option;

/** The compute flags of the verbs that train in this process. */
public final class ComputeOptions {
    @Option(names = "--threads", description = "CPU worker threads (default: all cores)")
    Integer threads;

    /** grokscope.compute from config, with --threads applied. */
    ComputeSettings resolve(Config config) {
        ComputeSettings compute = ComputeSettings.create(config);
        if (threads == null) {
            return compute;
        }
        if (threads < 1) {
            throw new SpecException("--threads", "must be at least 1, got " + threads);
        }
        return compute.withThreads(threads);
    }
}
