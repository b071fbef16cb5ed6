package org.grokscope.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.grokscope.actors.RunSummary;
import org.grokscope.actors.RunSystem;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code grokscope resume RUN_ID...}: continues paused or interrupted runs from their journal, all
 * in one process (one process per data directory), so the runs a Ctrl-C paused together resume
 * together.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue paused or interrupted runs from their last checkpoints, trained side by side "
                + "(--max-concurrent); on a run that has ended, let its analyzers read what they had not.")
public final class ResumeCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec command;

    @Parameters(arity = "1..*", paramLabel = "RUN_ID")
    private List<String> runIds;

    @Mixin
    private NodeOptions.Training node;

    @Option(names = "--no-progress", description = "no progress lines")
    private boolean noProgress;

    @Override
    public Integer call() throws InterruptedException {
        Config config = ConfigFactory.load();
        AppSettings app = AppSettings.create(config);
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(runIds));
        PrintWriter out = command.commandLine().getOut();
        try (RunSystem n = node.openExisting(config, ids.size())) {
            // every id is checked before any run moves, so a typo starts nothing
            Map<String, RunSummary> summaries = new LinkedHashMap<>();
            for (String runId : ids) {
                NodeOptions.requireRun(n, runId);
                String damage = n.damage(runId);
                if (damage != null) {
                    throw new RunSystem.JournalException(damage + "; it cannot be resumed safely");
                }
                summaries.put(runId, n.summary(runId));
            }
            Map<String, RunSpec> toTrain = new LinkedHashMap<>();
            List<String> nothingToDo = new ArrayList<>();
            for (Map.Entry<String, RunSummary> e : summaries.entrySet()) {
                String runId = e.getKey();
                RunSummary s = e.getValue();
                if (!s.status().terminal()) {
                    toTrain.put(runId, null); // null: continue from the journal
                    continue;
                }
                // nothing to train, but its analyzers may not have read its last events
                int undelivered = n.undeliveredAlerts(runId);
                int added = n.catchUp(runId);
                int delivered = undelivered - n.undeliveredAlerts(runId);
                String state = "run '" + runId + "' is " + s.status().specName()
                        + (s.reason() == null ? "" : " (" + s.reason() + ")");
                if (added == 0 && delivered == 0) {
                    nothingToDo.add(state);
                    continue;
                }
                out.println("run " + runId + " is " + s.status().specName() + "; nothing to train. Its analyzers read"
                        + " the rest of its journal: " + added + " analysis and detection record(s) added"
                        + (delivered > 0 ? ", " + delivered + " alert(s) a crash had kept from alerts.jsonl delivered."
                                : "."));
                out.flush();
            }
            if (nothingToDo.size() == ids.size()) {
                throw new SpecException("RUN_ID", String.join("; ", nothingToDo) + "; nothing to resume");
            }
            for (String note : nothingToDo) {
                out.println(note + "; nothing to resume");
            }
            out.flush();
            if (toTrain.isEmpty()) {
                return 0;
            }
            return new RunWatcher(n, out, app.plainInterval()).runAll(toTrain, summaries, !noProgress);
        }
    }
}
