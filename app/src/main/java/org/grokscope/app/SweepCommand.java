package org.grokscope.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.grokscope.actors.RunSummary;
import org.grokscope.actors.RunSystem;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.MemoryEstimate;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunSpecs;
import org.grokscope.protocol.RunStatus;
import org.grokscope.protocol.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code grokscope sweep SWEEP.conf}: every cell of a {@link SweepSpec} as a durable run under the
 * supervisor, then the summary and phase-diagram plots of {@link SweepReport}. Run ids come from
 * the cells, so running the same file again skips the runs that ended, resumes the paused or
 * interrupted ones and starts only the missing ones; with nothing left to train it just rewrites
 * the report.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run a grid of specs (alpha x optimizer x weight decay x seed ...), then write a summary "
                + "(CSV, Markdown) and phase-diagram plots. Running it again continues an interrupted sweep.")
public final class SweepCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "SWEEP.conf", description = "HOCON sweep file: name, base { spec }, grid { axes }")
    private Path file;

    @Mixin
    private NodeOptions.Training node;

    @Option(names = "--out", paramLabel = "DIR",
            description = "report directory (default: <data dir>/<grokscope.app.sweep-dir>/<sweep name>)")
    private Path out;

    @Option(names = "--no-progress", description = "no progress lines (one line per finished run remains)")
    private boolean noProgress;

    @Option(names = "--dry-run", description = "list the cells and what a run would do with each; train nothing")
    private boolean dryRun;

    @Override
    public Integer call() throws InterruptedException, IOException {
        SweepSpec sweep = SweepSpec.read(file);
        Config config = ConfigFactory.load();
        AppSettings app = AppSettings.create(config);
        ComputeSettings compute = ComputeSettings.create(config);
        for (SweepSpec.Cell cell : sweep.cells()) {
            MemoryEstimate.check(cell.spec(), compute, Runtime.getRuntime().maxMemory());
        }
        PrintWriter stdout = command.commandLine().getOut();
        if (out != null && !dryRun) {
            // before the journal is opened or anything planned: a bad --out writes nothing
            OutputPaths.directory(out, "--out");
        } else if (out != null) {
            OutputPaths.check(out, "--out");
        }
        if (dryRun && !NodeOptions.hasJournal(node.dataDir(config))) {
            node.validate(config);
            // nothing journaled yet: every cell would start, and a dry run makes no data directory
            stdout.printf("sweep %s: %d cells (%s); no journal in %s yet, so all %d would start%n", sweep.name(),
                    sweep.cells().size(), String.join(" x ", sweep.axes()), node.dataDir(config), sweep.cells().size());
            for (SweepSpec.Cell cell : sweep.cells()) {
                stdout.printf("  %-40s %s%n", cell.runId(), "start");
            }
            stdout.flush();
            return 0;
        }
        try (RunSystem n = node.open(config, sweep.cells().size(), sweep.maxConcurrent())) {
            Path home = n.dataDir().resolve(app.sweepDir()).resolve(sweep.name());
            Path dir = out != null ? out : home;
            Set<String> existing = new HashSet<>(n.runIds());
            Path members = home.resolve(MEMBERS);
            List<SweepSpec.Cell> cells = adoptRenamed(sweep, n, existing, readMembers(members), stdout);
            // each journaled cell's summary, read once: catching up its followers does not change it
            Map<String, RunSummary> journaled = new HashMap<>();
            for (SweepSpec.Cell cell : cells) {
                if (existing.contains(cell.runId())) {
                    journaled.put(cell.runId(), n.summary(cell.runId()));
                    requireSameSpec(cell, journaled.get(cell.runId()), n.dataDir());
                }
            }
            Map<String, RunSpec> toRun = new LinkedHashMap<>();
            int ended = 0;
            int resumed = 0;
            List<String> damaged = new ArrayList<>();
            int caughtUp = 0;
            for (SweepSpec.Cell cell : longestFirst(cells)) {
                String id = cell.runId();
                if (!existing.contains(id)) {
                    toRun.put(id, cell.spec());
                    continue;
                }
                String damage = n.damage(id);
                if (damage != null) {
                    damaged.add(id);
                    stdout.println("skipping " + id + ": " + damage);
                } else if (journaled.get(id).status().terminal()) {
                    ended++;
                    if (!dryRun && n.followersBehind(id)) {
                        // killed right after its last epochs (its findings and analyses are not all journaled),
                        // or ended before an analyzer's definition changed (its analyses are recomputed)
                        n.catchUp(id);
                        caughtUp++;
                    }
                } else {
                    toRun.put(id, null);
                    resumed++;
                }
            }
            stdout.printf("sweep %s: %d cells (%s); %d ended before, %d to resume, %d to start; %d at once; data in %s%n",
                    sweep.name(), sweep.cells().size(), String.join(" x ", sweep.axes()), ended, resumed,
                    toRun.size() - resumed, n.maxConcurrent(), n.dataDir());
            if (caughtUp > 0) {
                stdout.printf("the onset detectors and analyzers of %d ended run(s) caught up (events a killed process "
                        + "left unread, or analyses recomputed after an analyzer changed)%n", caughtUp);
            }
            stdout.flush();
            if (dryRun) {
                for (SweepSpec.Cell cell : cells) {
                    String id = cell.runId();
                    String what = !toRun.containsKey(id) ? (damaged.contains(id) ? "damaged" : "ended")
                            : toRun.get(id) == null ? "resume" : "start";
                    stdout.printf("  %-40s %s%n", id, what);
                }
                stdout.flush();
                return 0;
            }
            OutputPaths.directory(dir, "--out");
            writeMembers(members, cells);
            if (!toRun.isEmpty()) {
                String again = "grokscope sweep " + file + " --data " + n.dataDir() + (out == null ? "" : " --out " + out)
                        + (node.maxConcurrent() == null ? "" : " --max-concurrent " + node.maxConcurrent());
                new RunWatcher(n, stdout, app.plainInterval()).forSweep(again).runAll(toRun, journaled, !noProgress);
            }
            List<SweepReport.Row> rows = new ArrayList<>();
            for (SweepSpec.Cell cell : cells) {
                RunSummary s = toRun.containsKey(cell.runId()) ? n.summary(cell.runId()) : journaled.get(cell.runId());
                rows.add(new SweepReport.Row(cell, damaged.contains(cell.runId()) ? s.withNote("DAMAGED") : s));
            }
            SweepReport report = new SweepReport(sweep, rows, org.grokscope.compute.train.EventSettings.create(config));
            report.write(dir);
            stdout.println();
            report.printGrokTable(stdout);
            stdout.println("wrote " + SweepReport.CSV + ", " + SweepReport.MARKDOWN + ", " + SweepReport.GROK_PLOT
                    + ".png/.svg and " + SweepReport.HEATMAP + ".png/.svg to " + dir);
            stdout.flush();
            boolean allCompleted = rows.stream().allMatch(r -> r.run().status() == RunStatus.COMPLETED)
                    && damaged.isEmpty();
            return allCompleted ? 0 : Main.FAILURE;
        }
    }

    /**
     * The sweep's cells, each under the id of a journaled run of this sweep (listed in its members
     * file) with exactly its spec when its own id is new: editing the file can change a cell's id (a value added to an axis
     * whose label clashes with an old one, a base field moved into an axis), and the run that
     * cell already trained must not be trained again under the new name.
     */
    private static List<SweepSpec.Cell> adoptRenamed(SweepSpec sweep, RunSystem n, Set<String> existing,
                                                     Set<String> members, PrintWriter stdout) {
        Set<String> ids = new HashSet<>();
        sweep.cells().forEach(c -> ids.add(c.runId()));
        // only runs this sweep started (its members file), never another sweep's or a lone run
        Map<RunSpec, java.util.Deque<String>> others = new LinkedHashMap<>();
        for (String id : new TreeSet<>(members)) {
            if (existing.contains(id) && !ids.contains(id)) {
                RunSpec spec = n.summary(id).spec();
                if (spec != null) {
                    others.computeIfAbsent(spec, k -> new java.util.ArrayDeque<>()).add(id);
                }
            }
        }
        List<SweepSpec.Cell> cells = new ArrayList<>();
        for (SweepSpec.Cell cell : sweep.cells()) {
            java.util.Deque<String> same = existing.contains(cell.runId()) ? null : others.get(cell.spec());
            String old = same == null ? null : same.poll();
            if (old == null) {
                cells.add(cell);
            } else {
                stdout.println("cell " + cell.runId() + " is run " + old + ", journaled with the same spec under the id"
                        + " an earlier version of the sweep file gave it");
                cells.add(new SweepSpec.Cell(old, cell.coordinates(), cell.spec()));
            }
        }
        return cells;
    }

    /** Under the data directory's sweeps/NAME: the ids of every run the sweep has started, one per line. */
    static final String MEMBERS = "runs.txt";

    private static Set<String> readMembers(Path file) throws IOException {
        return Files.exists(file) ? new HashSet<>(Files.readAllLines(file)) : Set.of();
    }

    /** Adds the cells' ids to the members file before any of them is trained. */
    private static void writeMembers(Path file, List<SweepSpec.Cell> cells) throws IOException {
        Set<String> all = new TreeSet<>(readMembers(file));
        cells.forEach(c -> all.add(c.runId()));
        Files.createDirectories(file.getParent());
        // written beside and moved over: a kill between truncating and writing would forget members
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.write(next, all);
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The cheapest estimate of a run's cost, epochs × pairs × width × p (the logits GEMM), so the
     * longest runs start first and the last slot is not left with one long run at the end.
     */
    private static List<SweepSpec.Cell> longestFirst(List<SweepSpec.Cell> cells) {
        List<SweepSpec.Cell> sorted = new ArrayList<>(cells);
        sorted.sort(Comparator.comparingDouble((SweepSpec.Cell c) -> {
            RunSpec s = c.spec();
            return (double) s.epochs() * s.alpha() * s.p() * s.p() * s.width() * s.p();
        }).reversed());
        return sorted;
    }

    /** A journaled run under a cell's id must come from the same spec, or the sweep file was edited. */
    private static void requireSameSpec(SweepSpec.Cell cell, RunSummary journaled, Path data) {
        if (journaled.spec() == null || journaled.spec().equals(cell.spec())) {
            return;
        }
        Config now = ConfigFactory.parseString(RunSpecs.render(cell.spec()));
        Config then = ConfigFactory.parseString(RunSpecs.render(journaled.spec()));
        Set<String> differ = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : now.entrySet()) {
            if (!then.hasPath(e.getKey()) || !then.getValue(e.getKey()).unwrapped().equals(e.getValue().unwrapped())) {
                differ.add(e.getKey());
            }
        }
        throw new SpecException("SWEEP.conf", "run " + cell.runId() + " in " + data + " was trained with another "
                + String.join(", ", differ) + " than the sweep file now gives; keep the file as it was, rename the "
                + "sweep or use another --data");
    }
}
