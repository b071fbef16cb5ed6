package org.grokscope.app;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.grokscope.actors.FaultHook;
import org.grokscope.actors.RunSupervisor;
import org.grokscope.actors.RunSystem;
import org.grokscope.actors.Trainer;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.train.TrainingRun;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunStatus;

/**
 * {@code grokscope bench --journal}: the wall time of one whole run in-process without a journal
 * (what {@code train} does, minus CSV) against the same run through the supervisor, trainer and
 * LevelDB journal (what {@code run} does), in one JVM after a common warm-up.
 */
final class JournalBench {
    private JournalBench() {
    }

    static int run(PrintWriter out, RunSpec spec, Path specFile, Config config, ComputeSettings compute) {
        out.printf(Locale.ROOT, "grokscope bench --journal %s: %d epochs, checkpoint every %d, eval every %d, %d threads%n",
                specFile == null ? "(defaults)" : specFile, spec.epochs(), spec.checkpointEvery(), spec.evalEvery(),
                compute.threads());
        out.flush();
        try (TrainingRun warm = TrainingRun.create(spec, compute)) {
            int warmup = Math.min(AppSettings.create(config).benchWarmup(), spec.epochs());
            for (int e = 0; e < warmup; e++) {
                warm.runEpoch();
            }
        }
        double plain = timePlain(spec, compute);
        double journaled = timeJournaled(spec, config, compute);
        double plainAgain = timePlain(spec, compute);
        double base = Math.min(plain, plainAgain);
        out.println();
        out.println("| mode | wall s |");
        out.println("|---|---|");
        out.printf(Locale.ROOT, "| no journal (train loop), before | %.2f |%n", plain);
        out.printf(Locale.ROOT, "| supervisor + trainer + LevelDB journal | %.2f |%n", journaled);
        out.printf(Locale.ROOT, "| no journal (train loop), after | %.2f |%n", plainAgain);
        out.printf(Locale.ROOT, "%njournal overhead: %+.1f%% (journaled vs the faster no-journal run)%n",
                100.0 * (journaled / base - 1.0));
        out.flush();
        return 0;
    }

    private static double timePlain(RunSpec spec, ComputeSettings compute) {
        long t0 = System.nanoTime();
        try (TrainingRun run = TrainingRun.create(spec, compute)) {
            for (int e = 0; e < spec.epochs(); e++) {
                run.runEpoch();
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double timeJournaled(RunSpec spec, Config config, ComputeSettings compute) {
        Path data;
        try {
            data = Files.createTempDirectory("grokscope-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (RunSystem node = RunSystem.open(data, config.withValue("grokscope.supervisor.threads-per-run",
                com.typesafe.config.ConfigValueFactory.fromAnyRef(compute.threads())), 1, CodeVersion.get(),
                FaultHook.NONE)) {
            CountDownLatch done = new CountDownLatch(1);
            node.system().tell(new RunSupervisor.Subscribe(node.system().systemActorOf(
                    Behaviors.<Trainer.Ended>receiveMessage(e -> {
                        if (e.status() == RunStatus.COMPLETED || e.status() == RunStatus.FAILED) {
                            done.countDown();
                        }
                        return Behaviors.same();
                    }), "bench-listener", Props.empty())));
            long t0 = System.nanoTime();
            node.<Trainer.Reply>ask(r -> new RunSupervisor.StartRun("bench", spec, r));
            if (!done.await(1, TimeUnit.HOURS)) {
                throw new IllegalStateException("journaled run did not finish");
            }
            return (System.nanoTime() - t0) / 1e9;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            delete(data);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

}
