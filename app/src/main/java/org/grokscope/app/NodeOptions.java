package org.grokscope.app;

import com.typesafe.config.Config;
import java.nio.file.Path;
import org.grokscope.actors.FaultHook;
import org.grokscope.actors.RunSystem;
import org.grokscope.protocol.SpecException;
import picocli.CommandLine.Option;

/** Options of the verbs that work on a data directory (journal and snapshots). */
public final class NodeOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: grokscope.data-dir, ./grokscope-data)")
    Path data;

    @Option(names = "--max-concurrent", paramLabel = "N", description = "runs trained at once (default: core count)")
    Integer maxConcurrent;

    /**
     * Opens the node. Without --max-concurrent, no more slots than runs are made, so a single run
     * gets every core for its engine.
     */
    RunSystem open(Config config, int runs) {
        return open(config, runs, null);
    }

    /** As {@link #open(Config, int)}, with the concurrency a sweep file asks for when no flag is given. */
    RunSystem open(Config config, int runs, Integer fileConcurrent) {
        if (maxConcurrent != null && maxConcurrent < 1) {
            throw new SpecException("--max-concurrent", "must be at least 1, got " + maxConcurrent);
        }
        Path dir = dataDir(config);
        int configured = config.getInt("grokscope.supervisor.max-concurrent-runs");
        int slots = configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
        int concurrent = maxConcurrent != null ? maxConcurrent
                : fileConcurrent != null ? fileConcurrent : Math.max(1, Math.min(slots, runs));
        return RunSystem.open(dir, config, concurrent, CodeVersion.get(), FaultHook.NONE);
    }

    Path dataDir(Config config) {
        return data != null ? data : Path.of(config.getString("grokscope.data-dir"));
    }

    /** Fails with a one-line user error unless the run is in the journal. */
    static void requireRun(RunSystem node, String runId) {
        java.util.List<String> ids = node.runIds();
        if (!ids.contains(runId)) {
            throw new SpecException("RUN_ID", "no run '" + runId + "' in " + node.dataDir()
                    + (ids.isEmpty() ? " (it has no runs)" : "; runs there: " + String.join(", ", ids)));
        }
    }
}
