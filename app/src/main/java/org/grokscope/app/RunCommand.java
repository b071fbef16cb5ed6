package org.grokscope.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.grokscope.actors.RunSystem;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.MemoryEstimate;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code grokscope run SPEC...}: durable runs through the supervisor and the journal in this
 * process, with a progress line per run; Ctrl-C pauses them all and says how to resume.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Launch journaled, resumable runs (one per spec) under the supervisor.")
public final class RunCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Spec
    private picocli.CommandLine.Model.CommandSpec command;

    @Parameters(arity = "1..*", paramLabel = "SPEC.conf", description = "HOCON run specs")
    private List<Path> specFiles;

    @Mixin
    private SpecOptions specOptions;

    @Mixin
    private NodeOptions.Training node;

    @Option(names = "--id", description = "run id (one spec only; default: <spec name>-<timestamp>)")
    private String id;

    @Option(names = "--no-progress", description = "no progress lines")
    private boolean noProgress;

    @Override
    public Integer call() throws InterruptedException {
        if (id != null && specFiles.size() != 1) {
            throw new SpecException("--id", "names one run; give one spec file with it");
        }
        if (id != null && !id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new SpecException("--id", "use letters, digits, '.', '_' and '-' (at most 100), got '" + id + "'");
        }
        Map<String, RunSpec> runs = new LinkedHashMap<>();
        String stamp = LocalDateTime.now().format(STAMP);
        for (int i = 0; i < specFiles.size(); i++) {
            RunSpec spec = specOptions.resolve(specFiles.get(i));
            String runId = id != null ? id : SpecOptions.baseName(specFiles.get(i)) + "-" + stamp;
            while (runs.containsKey(runId)) {
                runId = runId + "-" + (i + 1);
            }
            runs.put(runId, spec);
        }
        Config config = ConfigFactory.load();
        AppSettings app = AppSettings.create(config);
        ComputeSettings compute = ComputeSettings.create(config);
        for (RunSpec spec : runs.values()) {
            MemoryEstimate.check(spec, compute, Runtime.getRuntime().maxMemory());
        }
        try (RunSystem n = node.open(config, runs.size())) {
            List<String> existing = n.runIds();
            for (String runId : runs.keySet()) {
                if (existing.contains(runId)) {
                    org.grokscope.protocol.RunStatus status = n.summary(runId).status();
                    throw new SpecException("--id", "run '" + runId + "' already exists in " + n.dataDir() + " ("
                            + status.specName() + ")" + (status.terminal() ? "; choose another --id"
                                    : "; continue it with grokscope resume " + runId + " --data " + n.dataDir()));
                }
            }
            return new RunWatcher(n, command.commandLine().getOut(), app.plainInterval()).runAll(runs, !noProgress);
        }
    }
}
