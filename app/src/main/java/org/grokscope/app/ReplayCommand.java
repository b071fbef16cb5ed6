package org.grokscope.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.grokscope.actors.RunSystem;
import org.grokscope.compute.analysis.CheckpointAnalysis;
import org.grokscope.protocol.SpecException;
import org.grokscope.protocol.events.CheckpointSaved;
import org.grokscope.protocol.events.RunEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code grokscope replay RUN_ID}: recomputes the chosen analyzers from the run's journaled
 * checkpoints, without retraining and without writing to the journal, into CSV (scalars) and
 * JSONL (everything, with the parameters used).
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Recompute analyzers over a run's checkpoints from its journal.")
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "RUN_ID")
    private String runId;

    @Mixin
    private NodeOptions node;

    @Option(names = "--analyzers", split = ",", defaultValue = "ipr,phases,coverage,ffs",
            description = "analyzers to run (default: ${DEFAULT-VALUE})")
    private List<String> analyzers;

    @Option(names = "--set", paramLabel = "ANALYZER.PARAM=VALUE",
            description = "analyzer parameter, e.g. --set ffs.eta=0.2 (defaults in grokscope.analyzers)")
    private List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: replay/<RUN_ID>)")
    private Path out;

    @Override
    public Integer call() throws IOException {
        Config config = ConfigFactory.load();
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new SpecException("--set", "expected analyzer.param=value, got '" + s + "'");
            }
            String key = s.substring(0, eq).strip();
            if (!CheckpointAnalysis.PARAMETERS.contains(key)) {
                throw new SpecException("--set", "unknown analyzer parameter '" + key + "'; known: "
                        + String.join(", ", CheckpointAnalysis.PARAMETERS));
            }
            overrides.put("grokscope.analyzers." + key, s.substring(eq + 1).strip());
        }
        CheckpointAnalysis analysis;
        try {
            Config withSets = ConfigFactory.parseMap(overrides).withFallback(config);
            analysis = new CheckpointAnalysis(analyzers.stream().map(String::strip).toList(), withSets);
        } catch (ConfigException e) {
            throw new SpecException("--set", Main.oneLine(e.getMessage()));
        }
        long t0 = System.nanoTime();
        List<CheckpointSaved> checkpoints = new ArrayList<>();
        try (RunSystem n = node.openExisting(config)) {
            NodeOptions.requireRun(n, runId);
            for (RunEvent e : n.events(runId)) {
                if (e instanceof CheckpointSaved c) {
                    checkpoints.add(c);
                }
            }
        }
        Path dir = OutputPaths.directory(out != null ? out : Path.of("replay", runId), "--out");
        Path csv = dir.resolve(runId + "-analysis.csv");
        Path jsonl = dir.resolve(runId + "-analysis.jsonl");
        try (BufferedWriter c = Files.newBufferedWriter(csv); BufferedWriter j = Files.newBufferedWriter(jsonl)) {
            // the header comes from the analyzers, so a run without checkpoints still gets a readable table
            c.write("epoch");
            for (String name : analysis.scalarNames()) {
                c.write("," + name);
            }
            c.newLine();
            for (CheckpointSaved cp : checkpoints) {
                Map<String, Object> row = analysis.analyze(cp.p(), cp.width(), cp.w1(), cp.w2());
                c.write(Integer.toString(cp.epoch()));
                for (Map.Entry<String, Object> e : row.entrySet()) {
                    if (e.getValue() instanceof Number num) {
                        c.write("," + number(num));
                    }
                }
                c.newLine();
                j.write(AnalysisJson.row(runId, cp.epoch(), String.join(",", analysis.analyzers()),
                        CheckpointAnalysis.VERSION, analysis.parameters(), row));
                j.newLine();
            }
        }
        PrintWriter stdout = command.commandLine().getOut();
        stdout.printf(Locale.ROOT, "replayed %d checkpoints of %s with %s (%s) in %.2f s%n", checkpoints.size(), runId,
                String.join(",", analysis.analyzers()), analysis.parameters(), (System.nanoTime() - t0) / 1e9);
        stdout.println("wrote " + csv + " and " + jsonl);
        stdout.flush();
        return 0;
    }

    private static String number(Number n) {
        double d = n.doubleValue();
        if (n instanceof Integer || n instanceof Long) {
            return n.toString();
        }
        return CurveWriter.num(d);
    }

}
