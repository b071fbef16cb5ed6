package org.grokscope.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.grokscope.actors.RunSummary;
import org.grokscope.actors.RunSystem;
import org.grokscope.protocol.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grokscope resume RUN_ID}: continues a paused or interrupted run from its journal. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a paused or interrupted run from its last checkpoint.")
public final class ResumeCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "RUN_ID")
    private String runId;

    @Mixin
    private NodeOptions node;

    @Option(names = "--no-progress", description = "no progress lines")
    private boolean noProgress;

    @Override
    public Integer call() throws InterruptedException {
        Config config = ConfigFactory.load();
        AppSettings app = AppSettings.create(config);
        try (RunSystem n = node.openExisting(config)) {
            NodeOptions.requireRun(n, runId);
            String damage = n.damage(runId);
            if (damage != null) {
                throw new RunSystem.JournalException(damage + "; it cannot be resumed safely");
            }
            RunSummary s = n.summary(runId);
            if (s.status().terminal()) {
                // nothing to train, but its analyzers may not have read its last events
                int undelivered = n.undeliveredAlerts(runId);
                int added = n.catchUp(runId);
                int delivered = undelivered - n.undeliveredAlerts(runId);
                if (added == 0 && delivered == 0) {
                    throw new SpecException("RUN_ID", "run '" + runId + "' is " + s.status().specName()
                            + (s.reason() == null ? "" : " (" + s.reason() + ")") + "; nothing to resume");
                }
                PrintWriter out = command.commandLine().getOut();
                out.println("run " + runId + " is " + s.status().specName() + "; nothing to train. Its analyzers read"
                        + " the rest of its journal: " + added + " analysis and detection record(s) added"
                        + (delivered > 0 ? ", " + delivered + " alert(s) a crash had kept from alerts.jsonl delivered."
                                : "."));
                out.flush();
                return 0;
            }
            return new RunWatcher(n, command.commandLine().getOut(), app.plainInterval())
                    .runAll(RunWatcher.single(runId, null), !noProgress);
        }
    }
}
