package org.grokscope.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.grokscope.actors.RunSummary;
import org.grokscope.actors.RunSystem;
import org.grokscope.protocol.SpecException;
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
        Path dir = node.dataDir(config);
        for (Path up = dir.toAbsolutePath(); up != null; up = up.getParent()) {
            if (Files.exists(up) && !Files.isDirectory(up)) {
                throw new SpecException("--data", "data directory " + dir + " cannot be created: " + up
                        + " is not a directory");
            }
        }
        if (!NodeOptions.hasJournal(dir)) {
            PrintWriter out = command.commandLine().getOut();
            out.println("no runs: " + dir + " holds no grokscope journal");
            out.flush();
            return 0;
        }
        try (RunSystem n = node.open(config, 1)) {
            List<RunSummary> runs = n.runIds().stream().map(id -> {
                RunSummary s = n.summary(id);
                String damage = n.damage(id);
                return damage == null ? s : s.withNote("DAMAGED: " + damage);
            }).toList();
            PrintWriter out = command.commandLine().getOut();
            if (runs.isEmpty()) {
                out.println("no runs in " + n.dataDir());
            } else {
                printTable(out, runs);
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
        out.printf(Locale.ROOT, "%-28s %-10s %-10s %8s %9s %9s %7s %7s  %s%n", "id", "task", "status", "epoch",
                "train acc", "test acc", "t_fit", "t_grok", "note");
        for (RunSummary s : runs) {
            String task = s.spec() == null ? "?" : s.spec().task();
            out.printf(Locale.ROOT, "%-28s %-10s %-10s %8s %9s %9s %7s %7s  %s%n", s.runId(),
                    task.length() > 10 ? task.substring(0, 9) + "…" : task, s.status().specName(),
                    s.epoch() + (s.spec() == null ? "" : "/" + s.spec().epochs()),
                    s.last() == null ? "-" : String.format(Locale.ROOT, "%.4f", s.last().trainAccuracy()),
                    s.lastEvaluated() == null ? "-" : String.format(Locale.ROOT, "%.4f", s.lastEvaluated().testAccuracy()),
                    s.tFit() > 0 ? Integer.toString(s.tFit()) : "-", s.tGrok() > 0 ? Integer.toString(s.tGrok()) : "-",
                    note(s));
        }
    }
}
