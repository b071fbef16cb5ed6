package org.grokscope.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.grokscope.actors.RunSummary;
import org.grokscope.actors.RunSystem;
import org.grokscope.protocol.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code grokscope runs}: every run in the data directory, as its journal tells it. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List the runs in a data directory.")
public final class RunsCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    private NodeOptions node;

    @Override
    public Integer call() {
        Config config = ConfigFactory.load();
        node.validate(config);
        Path dir = node.dataDir(config);
        if (!NodeOptions.hasJournal(dir)) {
            PrintWriter out = command.commandLine().getOut();
            out.println("no runs: " + dir + " holds no grokscope journal");
            out.flush();
            return 0;
        }
        try (RunSystem n = node.open(config, 1)) {
            Set<String> interrupted = new HashSet<>();
            List<RunSummary> runs = n.runIds().stream().map(id -> {
                RunSummary s = n.summary(id);
                String damage = n.damage(id);
                if (damage != null) {
                    return s.withNote("DAMAGED: " + damage);
                }
                if (s.status() == RunStatus.RUNNING) {
                    // this process holds the data directory's lock, so nothing is training it:
                    // the process that was ended without pausing it (kill -9, a crash)
                    interrupted.add(id);
                    return s.withNote("its process ended mid-run; grokscope resume " + id + " --data " + n.dataDir()
                            + " continues it");
                }
                return s;
            }).toList();
            PrintWriter out = command.commandLine().getOut();
            if (runs.isEmpty()) {
                out.println("no runs in " + n.dataDir());
            } else {
                printTable(out, runs, interrupted);
            }
            out.flush();
        }
        return 0;
    }

    private static String note(RunSummary s) {
        if (s.reason() != null) {
            return s.reason();
        }
        if (s.spec() != null && s.spec().optimizer().kind() == org.grokscope.protocol.OptimizerKind.ANALYTIC) {
            return "analytic weights, N=" + s.spec().width() + " " + s.spec().activation().specName();
        }
        return "";
    }

    static void printTable(PrintWriter out, List<RunSummary> runs) {
        printTable(out, runs, Set.of());
    }

    /** The table; runs in {@code interrupted} are listed as such rather than as running. */
    static void printTable(PrintWriter out, List<RunSummary> runs, Set<String> interrupted) {
        out.printf(Locale.ROOT, "%-28s %-10s %-11s %8s %9s %9s %7s %7s  %s%n", "id", "task", "status", "epoch",
                "train acc", "test acc", "t_fit", "t_grok", "note");
        for (RunSummary s : runs) {
            String task = s.spec() == null ? "?" : s.spec().task();
            // analytic weights are written, not trained: no fit or grokking time (one epoch cannot hold t_grok)
            boolean analytic = s.spec() != null
                    && s.spec().optimizer().kind() == org.grokscope.protocol.OptimizerKind.ANALYTIC;
            out.printf(Locale.ROOT, "%-28s %-10s %-11s %8s %9s %9s %7s %7s  %s%n", s.runId(),
                    task.length() > 10 ? task.substring(0, 9) + "…" : task,
                    interrupted.contains(s.runId()) ? "interrupted" : s.status().specName(),
                    s.epoch() + (s.spec() == null ? "" : "/" + s.spec().epochs()),
                    s.last() == null ? "-" : String.format(Locale.ROOT, "%.4f", s.last().trainAccuracy()),
                    s.lastEvaluated() == null ? "-" : String.format(Locale.ROOT, "%.4f", s.lastEvaluated().testAccuracy()),
                    analytic ? "n/a" : s.tFit() > 0 ? Integer.toString(s.tFit()) : "-",
                    analytic ? "n/a" : s.tGrok() > 0 ? Integer.toString(s.tGrok()) : "-",
                    note(s));
        }
    }
}
