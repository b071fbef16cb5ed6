package org.grokscope.app;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.grokscope.actors.RunSummary;
import org.grokscope.actors.RunSupervisor;
import org.grokscope.actors.RunSystem;
import org.grokscope.actors.Trainer;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunStatus;
import org.grokscope.protocol.SpecException;

/**
 * Drives runs of one CLI invocation through the supervisor: starts them, prints a progress line
 * per run, waits until each has ended, and on Ctrl-C pauses them all (journal flushed) and says
 * how to resume. Used by {@code run}, {@code resume} and {@code sweep}; for a sweep it is terse: one
 * line per run that ends instead of one per start, progress of active runs only, and one line on
 * Ctrl-C saying to re-run the sweep.
 */
final class RunWatcher {
    private final RunSystem node;
    private final PrintWriter out;
    private final Duration interval;
    private final Map<String, RunStatus> ended = new ConcurrentHashMap<>();
    private final Map<String, Long> lastEpochs = new ConcurrentHashMap<>();
    private CountDownLatch allEnded;
    /** Null for run and resume; for a sweep, the command that continues it after Ctrl-C. */
    private String sweepCommand;
    private final java.util.concurrent.BlockingQueue<Trainer.Ended> toReport = new java.util.concurrent.LinkedBlockingQueue<>();
    private int reported;

    RunWatcher(RunSystem node, PrintWriter out, Duration interval) {
        this.node = node;
        this.out = out;
        this.interval = interval;
    }

    /** Terse output for a sweep; {@code continueWith} is printed on Ctrl-C. */
    RunWatcher forSweep(String continueWith) {
        this.sweepCommand = continueWith;
        return this;
    }

    /** Starts the runs (spec null: resume) and blocks until all end; returns the exit code. */
    int runAll(Map<String, RunSpec> runs, boolean progress) throws InterruptedException {
        return runAll(runs, Map.of(), progress);
    }

    /**
     * As {@link #runAll(Map, boolean)}; {@code journaled} holds the summaries the caller read of the
     * resumed runs, so the supervisor can batch compatible resumes as it batches new runs.
     */
    int runAll(Map<String, RunSpec> runs, Map<String, RunSummary> journaled, boolean progress)
            throws InterruptedException {
        allEnded = new CountDownLatch(runs.size());
        ActorRef<Trainer.Ended> listener = node.system().systemActorOf(Behaviors.receiveMessage(e -> {
            if (runs.containsKey(e.runId()) && ended.putIfAbsent(e.runId(), e.status()) == null) {
                if (e.reason() != null && sweepCommand == null) {
                    out.println(e.runId() + " " + e.status().specName() + ": " + e.reason());
                    out.flush();
                }
                toReport.add(e);
                allEnded.countDown();
            }
            return Behaviors.same();
        }), "cli-listener", Props.empty());
        node.system().tell(new RunSupervisor.Subscribe(listener));
        if (sweepCommand == null) {
            // a sweep's runs report t_grok in their end lines; alerts still go to alerts.jsonl and the log
            node.alerts().addListener(json -> {
                out.println("ALERT " + json);
                out.flush();
            });
        }
        // replies come when a run is admitted, which for a queued run may be hours away: never wait on them
        java.util.Queue<Trainer.Rejected> rejected = new java.util.concurrent.ConcurrentLinkedQueue<>();
        ActorRef<Trainer.Reply> replies = node.system().systemActorOf(Behaviors.receiveMessage(r -> {
            if (r instanceof Trainer.Rejected no) {
                rejected.add(no);
            } else if (r instanceof Trainer.Accepted yes && sweepCommand == null) {
                out.println("started " + yes.runId() + (runs.get(yes.runId()) == null ? " (resumed)" : ""));
                out.flush();
            }
            return Behaviors.same();
        }), "cli-replies", Props.empty());
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread hook = new Thread(() -> pauseAll(interrupted), "grokscope-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            // one message, so the supervisor can batch compatible runs
            List<RunSupervisor.StartRun> starts = new ArrayList<>();
            runs.forEach((id, spec) -> starts.add(new RunSupervisor.StartRun(id, spec,
                    spec == null && journaled.containsKey(id) ? RunSupervisor.Journaled.of(journaled.get(id)) : null,
                    replies)));
            node.system().tell(new RunSupervisor.StartRuns(starts));
            long last = System.nanoTime();
            while (!allEnded.await(200, TimeUnit.MILLISECONDS)) {
                Trainer.Rejected no = rejected.poll();
                if (no != null && !interrupted.get()) {
                    throw new SpecException("RUN_ID", no.reason());
                }
                if (!interrupted.get()) {
                    reportEnded(runs.size());
                }
                // after Ctrl-C the hook reports; a progress block now would list dropped runs as queued
                if (progress && !interrupted.get() && System.nanoTime() - last >= interval.toNanos()) {
                    printProgress(runs.keySet(), (System.nanoTime() - last) / 1e9);
                    last = System.nanoTime();
                }
            }
        } finally {
            if (!interrupted.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        if (interrupted.get()) {
            // the shutdown hook pauses, reports and closes the node; the JVM exits when it is done
            Thread.sleep(Long.MAX_VALUE);
        }
        reportEnded(runs.size());
        try {
            // detectors finish reading the runs' last events, so no alert is lost at exit
            node.<Integer>ask(RunSupervisor.WhenDetectorsDone::new);
        } catch (IllegalStateException slow) {
            out.println("(the analyzers did not finish reading in time; `grokscope resume RUN_ID` lets them finish)");
        }
        if (sweepCommand == null) {
            printTable(new ArrayList<>(runs.keySet()));
        }
        boolean allCompleted = runs.keySet().stream().allMatch(id -> ended.get(id) == RunStatus.COMPLETED);
        return allCompleted ? 0 : Main.FAILURE;
    }

    private void pauseAll(AtomicBoolean interrupted) {
        interrupted.set(true);
        try {
            RunSupervisor.Paused paused = node.<RunSupervisor.Paused>ask(RunSupervisor.PauseAll::new);
            // queued runs were dropped and never end; wait for the active ones' trainers to stop
            long deadline = System.nanoTime() + node.pauseTimeout().toNanos();
            while (node.activeRuns().containsValue(RunStatus.RUNNING) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            try {
                // the onset detectors and analyzers read up to each pause, as at a normal end, so the
                // alerts of epochs already journaled are raised now, not at some later resume
                node.<Integer>ask(RunSupervisor.WhenDetectorsDone::new);
            } catch (IllegalStateException slow) {
                out.println("(the analyzers did not finish reading in time; resuming the runs lets them finish)");
            }
            // a trainer that did not stop in time is cut off at close: its journal ends at its last
            // journaled epoch, and it resumes like a paused run
            List<String> notPaused = node.activeRuns().entrySet().stream()
                    .filter(e -> e.getValue() == RunStatus.RUNNING).map(Map.Entry::getKey).sorted().toList();
            out.println();
            out.println("paused " + (paused.active() - notPaused.size()) + " run(s); the journal in " + node.dataDir()
                    + " is complete.");
            if (!notPaused.isEmpty()) {
                long ms = node.pauseTimeout().toMillis();
                out.println("  not paused within " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms") + " (grokscope.supervisor"
                        + ".pause-timeout), stopped at their last journaled epoch: " + String.join(", ", notPaused));
            }
            if (!paused.dropped().isEmpty() && sweepCommand == null) {
                out.println("  not started, so not in the journal (run their specs again): "
                        + String.join(", ", paused.dropped()));
            }
            if (sweepCommand != null) {
                out.println("  continue with: " + sweepCommand);
            }
            List<String> pausedIds = new ArrayList<>(ended.entrySet().stream()
                    .filter(e -> e.getValue() == RunStatus.PAUSED).map(Map.Entry::getKey).toList());
            notPaused.stream().filter(id -> !pausedIds.contains(id)).forEach(pausedIds::add);
            if (sweepCommand == null && !pausedIds.isEmpty()) {
                // one command: a second process cannot open the data directory beside the first
                out.println("  resume with: grokscope resume " + String.join(" ", pausedIds) + " --data "
                        + node.dataDir());
            }
            out.flush();
        } catch (Exception e) {
            out.println("could not pause cleanly: " + e.getMessage() + "; the journal resumes from the last epoch anyway");
            out.flush();
        } finally {
            node.close();
        }
    }

    /** For a sweep: one line per run that ended since the last call, from the state it ended with. */
    private void reportEnded(int total) {
        if (sweepCommand == null) {
            return;
        }
        for (Trainer.Ended e = toReport.poll(); e != null; e = toReport.poll()) {
            reported++;
            Trainer.State s = e.state();
            if (s == null) {
                out.printf(Locale.ROOT, "[%d/%d] %s %s (%s)%n", reported, total, e.runId(), e.status().specName(),
                        e.reason());
                continue;
            }
            out.printf(Locale.ROOT, "[%d/%d] %s %s at epoch %d: test acc %s, t_fit %s, t_grok %s%s%n", reported, total,
                    e.runId(), e.status().specName(), s.epoch(),
                    s.lastEvaluated() == null ? "-" : String.format(Locale.ROOT, "%.3f", s.lastEvaluated().testAccuracy()),
                    s.grok().tFit() > 0 ? Integer.toString(s.grok().tFit()) : "-",
                    s.grok().tGrok() > 0 ? Integer.toString(s.grok().tGrok()) : "-",
                    e.reason() == null ? "" : " (" + e.reason() + ")");
        }
        out.flush();
    }

    private void printProgress(Iterable<String> ids, double seconds) {
        int queued = 0;
        for (String id : ids) {
            if (ended.containsKey(id)) {
                continue;
            }
            Optional<Trainer.State> state = node.ask(to -> new RunSupervisor.GetRunState(id, to));
            if (state.isEmpty() || state.get().spec() == null) {
                queued++;
                if (sweepCommand == null) {
                    out.printf(Locale.ROOT, "%-28s queued%n", id);
                }
                continue;
            }
            Trainer.State s = state.get();
            Long before = lastEpochs.put(id, (long) s.epoch());
            // the first line of a run has no earlier epoch to measure its speed from
            String speed = before == null ? "     -" : String.format(Locale.ROOT, "%6.1f", (s.epoch() - before) / seconds);
            out.printf(Locale.ROOT, "%-28s epoch %6d/%-6d train %s test %s %s ep/s%n", id, s.epoch(),
                    s.spec().epochs(), s.last() == null ? "  -  " : String.format(Locale.ROOT, "%.3f", s.last().trainAccuracy()),
                    s.lastEvaluated() == null ? "  -  " : String.format(Locale.ROOT, "%.3f", s.lastEvaluated().testAccuracy()),
                    speed);
        }
        if (sweepCommand != null && queued > 0) {
            out.printf(Locale.ROOT, "%d run(s) queued%n", queued);
        }
        out.flush();
    }

    void printTable(List<String> ids) {
        RunsCommand.printTable(out, ids.stream().map(node::summary).toList());
    }
}
