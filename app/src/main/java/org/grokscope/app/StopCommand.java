package org.grokscope.app;

import com.typesafe.config.ConfigFactory;
import java.util.concurrent.Callable;
import org.grokscope.actors.RunSupervisor;
import org.grokscope.actors.RunSystem;
import org.grokscope.actors.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grokscope stop RUN_ID}: ends a run for good; its journal and checkpoints stay. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a run for good (it cannot be resumed).")
public final class StopCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "RUN_ID")
    private String runId;

    @Mixin
    private NodeOptions node;

    @Override
    public Integer call() {
        try (RunSystem n = node.openExisting(ConfigFactory.load())) {
            NodeOptions.requireRun(n, runId);
            Trainer.Reply reply = n.<Trainer.Reply>ask(to -> new RunSupervisor.StopRun(runId, to));
            if (reply instanceof Trainer.Accepted a) {
                command.commandLine().getOut().println(runId + ": " + a.status().specName() + " at epoch " + a.epoch());
            } else {
                command.commandLine().getOut().println(runId + ": " + ((Trainer.Rejected) reply).reason());
            }
            command.commandLine().getOut().flush();
        }
        return 0;
    }
}
