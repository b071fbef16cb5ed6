package org.grokscope.app;

import com.typesafe.config.Config;
import java.nio.file.Path;
import org.grokscope.actors.FaultHook;
import org.grokscope.actors.RunSystem;
import org.grokscope.protocol.SpecException;
import picocli.CommandLine.Option;

/**
 * Options of the verbs that work on a data directory (journal and snapshots). Verbs that train
 * use {@link Training}, which adds --max-concurrent; the others do not offer it, so a flag that
 * would do nothing there is refused by picocli instead of silently ignored.
 */
public class NodeOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: grokscope.data-dir, ./grokscope-data)")
    Path data;

    /** The options of the verbs that train runs: run, resume and sweep. */
    public static final class Training extends NodeOptions {
        @Option(names = "--max-concurrent", paramLabel = "N", description = "runs trained at once (default: core count)")
        Integer maxConcurrent;

        @Override
        Integer maxConcurrent() {
            return maxConcurrent;
        }
    }

    /** --max-concurrent as given, or null; only {@link Training} verbs have the option. */
    Integer maxConcurrent() {
        return null;
    }

    /**
     * Opens the node. Without --max-concurrent, no more slots than runs are made, so a single run
     * gets every core for its engine.
     */
    RunSystem open(Config config, int runs) {
        return open(config, runs, null);
    }

    /** As {@link #open(Config, int)}, with the concurrency a sweep file asks for when no flag is given. */
    RunSystem open(Config config, int runs, Integer fileConcurrent) {
        validate(config);
        Path dir = dataDir(config);
        int configured = config.getInt("grokscope.supervisor.max-concurrent-runs");
        int slots = configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
        Integer maxConcurrent = maxConcurrent();
        int concurrent = maxConcurrent != null ? maxConcurrent
                : fileConcurrent != null ? fileConcurrent : Math.max(1, Math.min(slots, runs));
        return RunSystem.open(dir, config, concurrent, CodeVersion.get(), FaultHook.NONE);
    }

    /**
     * As {@link #open(Config, int)} for verbs that only read or change existing runs: a --data that
     * holds no journal is a user error, and no directory is made for it (a mistyped path would
     * otherwise leave an empty journal behind).
     */
    RunSystem openExisting(Config config) {
        return openExisting(config, 1);
    }

    /** As {@link #openExisting(Config)}, with slots for {@code runs} runs (resume of several). */
    RunSystem openExisting(Config config, int runs) {
        Path dir = dataDir(config);
        if (!hasJournal(dir)) {
            throw new SpecException("--data", "no grokscope journal in " + dir
                    + " (give the --data your runs were started with)");
        }
        return open(config, runs);
    }

    /** The checks open makes before it touches the disk, for verbs that may not open the node. */
    void validate(Config config) {
        Integer maxConcurrent = maxConcurrent();
        if (maxConcurrent != null && maxConcurrent < 1) {
            throw new SpecException("--max-concurrent", "must be at least 1, got " + maxConcurrent);
        }
        OutputPaths.check(dataDir(config), "--data");
    }

    static boolean hasJournal(Path dir) {
        return java.nio.file.Files.isDirectory(dir.resolve("journal"));
    }

    Path dataDir(Config config) {
        Path dir = data != null ? data : Path.of(config.getString("grokscope.data-dir"));
        if (dir.toString().isBlank()) {
            // Path.of("") is the working directory: a journal would land among the user's files
            throw new SpecException(data != null ? "--data" : "grokscope.data-dir", "must not be empty");
        }
        return dir;
    }

    /** " --data DIR" when --data was given, for the follow-up commands verbs print; else "". */
    String dataArgument() {
        return data == null ? "" : " --data " + data;
    }

    /** Fails with a one-line user error unless the run is in the journal. */
    static void requireRun(RunSystem node, String runId) {
        requireRun(node, runId, "RUN_ID");
    }

    /** As {@link #requireRun(RunSystem, String)}, for a run named by the option {@code field}. */
    static void requireRun(RunSystem node, String runId, String field) {
        java.util.List<String> ids = node.runIds();
        if (!ids.contains(runId)) {
            throw new SpecException(field, "no run '" + runId + "' in " + node.dataDir() + runsThere(ids));
        }
    }

    /** An error line names this many of the runs there; a sweep's data directory holds thousands. */
    private static final int RUNS_SHOWN = 10;

    /** What an unknown run id's error adds: the runs there, the first few of a sweep's thousands. */
    static String runsThere(java.util.List<String> ids) {
        if (ids.isEmpty()) {
            return " (it has no runs)";
        }
        return "; runs there: " + String.join(", ", ids.subList(0, Math.min(RUNS_SHOWN, ids.size())))
                + (ids.size() > RUNS_SHOWN ? ", ... (" + ids.size() + " in all; grokscope runs lists them)" : "");
    }
}
