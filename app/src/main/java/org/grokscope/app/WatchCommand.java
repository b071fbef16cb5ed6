package org.grokscope.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.grokscope.actors.DataDirectory;
import org.grokscope.actors.FaultHook;
import org.grokscope.actors.RunSystem;
import org.grokscope.protocol.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code grokscope watch [RUN_ID]}: follows the alerts of a data directory as they come. It reads
 * {@code alerts.jsonl} only, so it works beside the process that trains (which holds the journal).
 */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Follow grokking alerts as they come.")
public final class WatchCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN_ID", description = "only this run's alerts")
    private String runId;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: grokscope.data-dir)")
    private Path data;

    @Option(names = "--once", description = "print the alerts so far and exit")
    private boolean once;

    @Option(names = "--poll", paramLabel = "MS", defaultValue = "500", description = "poll interval (ms)")
    private long poll;

    /** Polling faster than this only burns a core; slower than this is no longer "as they come". */
    private static final long MIN_POLL_MS = 10;
    private static final long MAX_POLL_MS = 60_000;

    @Override
    public Integer call() throws IOException {
        if (poll < MIN_POLL_MS || poll > MAX_POLL_MS) {
            throw new SpecException("--poll", "must be in [" + MIN_POLL_MS + ", " + MAX_POLL_MS + "] ms, got " + poll);
        }
        Config config = ConfigFactory.load();
        Path dir = data != null ? data : Path.of(config.getString("grokscope.data-dir"));
        if (once && !Files.isDirectory(dir)) {
            // following may start before the first run makes the directory; reading once cannot
            throw new SpecException("--data", "no data directory " + dir + " (give the --data your runs use)");
        }
        Path file = dir.resolve(config.getString("grokscope.alerts.file"));
        PrintWriter out = command.commandLine().getOut();
        boolean printed = false;
        // only a one-off read checks the id: the check opens the journal, which takes its lock for a
        // moment, and a follower is started beside (or before) the run it waits for
        if (once && runId != null) {
            requireRunIfFree(config, dir, runId);
        }
        if (!once) {
            out.println("watching " + file + (runId == null ? "" : " for run " + runId) + " (Ctrl-C to stop)"
                    + (Files.isDirectory(dir) ? "" : "; " + dir + " does not exist yet"));
            out.flush();
        }
        long offset = 0;
        StringBuilder partial = new StringBuilder();
        while (true) {
            if (Files.exists(file)) {
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                    if (f.length() < offset) {
                        offset = 0; // the file was replaced
                    }
                    f.seek(offset);
                    byte[] bytes = new byte[(int) (f.length() - offset)];
                    f.readFully(bytes);
                    offset += bytes.length;
                    partial.append(new String(bytes, StandardCharsets.UTF_8));
                }
                int newline;
                while ((newline = partial.indexOf("\n")) >= 0) {
                    String line = partial.substring(0, newline).strip();
                    partial.delete(0, newline + 1);
                    if (!line.isEmpty() && (runId == null || line.contains("\"run\":\"" + runId + "\""))) {
                        out.println(line);
                        printed = true;
                    }
                }
                out.flush();
            }
            if (once) {
                if (!printed) {
                    out.println("no alerts" + (runId == null ? "" : " for run " + runId) + " in " + file);
                    out.flush();
                }
                return 0;
            }
            try {
                Thread.sleep(poll);
            } catch (InterruptedException stop) {
                // stopped by its embedder (tests); from the terminal, Ctrl-C ends the JVM instead
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }

    /**
     * {@link NodeOptions#requireRun} where it can be told here: not without a journal yet, nor
     * while another process holds it (then a run is under way and may be new).
     */
    private static void requireRunIfFree(Config config, Path dir, String id) {
        if (!NodeOptions.hasJournal(dir)) {
            return;
        }
        try (RunSystem node = RunSystem.open(dir, config, 1, CodeVersion.get(), FaultHook.NONE)) {
            NodeOptions.requireRun(node, id);
        } catch (DataDirectory.DataDirectoryException busy) {
            // held by a training process
        }
    }
}
