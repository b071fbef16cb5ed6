package org.grokscope.app;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.grokscope.actors.RunSupervisor;
import org.grokscope.actors.RunSystem;
import org.grokscope.actors.Trainer;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunStatus;
import org.grokscope.protocol.SpecException;

/**
 * Drives runs of one CLI invocation through the supervisor: starts them, prints a progress line
 * per run, waits until each has ended, and on Ctrl-C pauses them all (journal flushed) and says
 * how to resume. Used by {@code run} and {@code resume}.
 */
final class RunWatcher {
    private final RunSystem node;
    private final PrintWriter out;
    private final Duration interval;
    /** How long to wait for admitted runs to answer before reporting the rest as queued. */
    private static final Duration START_WAIT = Duration.ofSeconds(10);
    private final Map<String, RunStatus> ended = new ConcurrentHashMap<>();
    private final Map<String, Long> lastEpochs = new ConcurrentHashMap<>();
    private CountDownLatch allEnded;

    RunWatcher(RunSystem node, PrintWriter out, Duration interval) {
        this.node = node;
        this.out = out;
        this.interval = interval;
    }

    /** Starts the runs (spec null: resume) and blocks until all end; returns the exit code. */
    int runAll(Map<String, RunSpec> runs, boolean progress) throws InterruptedException {
        allEnded = new CountDownLatch(runs.size());
        ActorRef<Trainer.Ended> listener = node.system().systemActorOf(Behaviors.receiveMessage(e -> {
            if (runs.containsKey(e.runId()) && ended.putIfAbsent(e.runId(), e.status()) == null) {
                if (e.reason() != null) {
                    out.println(e.runId() + " " + e.status().specName() + ": " + e.reason());
                    out.flush();
                }
                allEnded.countDown();
            }
            return Behaviors.same();
        }), "cli-listener", Props.empty());
        node.system().tell(new RunSupervisor.Subscribe(listener));
        node.alerts().addListener(json -> {
            out.println("ALERT " + json);
            out.flush();
        });
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread hook = new Thread(() -> pauseAll(interrupted), "grokscope-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            startAll(runs);
            long last = System.nanoTime();
            while (!allEnded.await(200, TimeUnit.MILLISECONDS)) {
                if (progress && System.nanoTime() - last >= interval.toNanos()) {
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
        try {
            // detectors finish reading the runs' last events, so no alert is lost at exit
            node.<Integer>ask(RunSupervisor.WhenDetectorsDone::new);
        } catch (IllegalStateException slow) {
            out.println("(onset detectors did not finish in time; they resume with the runs)");
        }
        printTable(new ArrayList<>(runs.keySet()));
        boolean allCompleted = runs.keySet().stream().allMatch(id -> ended.get(id) == RunStatus.COMPLETED);
        return allCompleted ? 0 : Main.FAILURE;
    }

    /**
     * Queues every run in one message, so the supervisor can batch compatible ones, and waits
     * a moment for the trainers' answers: a rejection is a user error; a run still queued (no
     * free slot yet) answers later, and a late rejection ends it here.
     */
    private void startAll(Map<String, RunSpec> runs) throws InterruptedException {
        Map<String, Trainer.Reply> replies = new ConcurrentHashMap<>();
        CountDownLatch answered = new CountDownLatch(runs.size());
        AtomicBoolean starting = new AtomicBoolean(true);
        ActorRef<Trainer.Reply> collector = node.system().systemActorOf(Behaviors.receiveMessage(reply -> {
            String runId = reply instanceof Trainer.Accepted a ? a.runId() : ((Trainer.Rejected) reply).runId();
            if (replies.putIfAbsent(runId, reply) == null) {
                answered.countDown();
                if (!starting.get() && reply instanceof Trainer.Rejected rejected
                        && ended.putIfAbsent(runId, RunStatus.FAILED) == null) {
                    out.println(runId + " rejected: " + rejected.reason());
                    out.flush();
                    allEnded.countDown();
                }
            }
            return Behaviors.same();
        }), "cli-start-replies", Props.empty());
        List<RunSupervisor.StartRun> starts = new ArrayList<>();
        runs.forEach((id, spec) -> starts.add(new RunSupervisor.StartRun(id, spec, collector)));
        node.system().tell(new RunSupervisor.StartRuns(starts));
        answered.await(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        starting.set(false);
        for (String id : runs.keySet()) {
            Trainer.Reply reply = replies.get(id);
            if (reply instanceof Trainer.Rejected rejected) {
                throw new SpecException("RUN_ID", rejected.reason());
            }
            out.println((reply == null ? "queued " : "started ") + id + (runs.get(id) == null ? " (resumed)" : ""));
        }
        out.flush();
    }

    private void pauseAll(AtomicBoolean interrupted) {
        interrupted.set(true);
        try {
            int active = node.<Integer>ask(RunSupervisor.PauseAll::new);
            allEnded.await(60, TimeUnit.SECONDS);
            out.println();
            out.println("paused " + active + " run(s); the journal in " + node.dataDir() + " is complete.");
            for (Map.Entry<String, RunStatus> e : ended.entrySet()) {
                if (e.getValue() == RunStatus.PAUSED) {
                    out.println("  resume with: grokscope resume " + e.getKey() + " --data " + node.dataDir());
                }
            }
            out.flush();
        } catch (Exception e) {
            out.println("could not pause cleanly: " + e.getMessage() + "; the journal resumes from the last epoch anyway");
            out.flush();
        } finally {
            node.close();
        }
    }

    private void printProgress(Iterable<String> ids, double seconds) {
        for (String id : ids) {
            if (ended.containsKey(id)) {
                continue;
            }
            Optional<Trainer.State> state = node.ask(to -> new RunSupervisor.GetRunState(id, to));
            if (state.isEmpty() || state.get().spec() == null) {
                out.printf(Locale.ROOT, "%-28s queued%n", id);
                continue;
            }
            Trainer.State s = state.get();
            long before = lastEpochs.getOrDefault(id, (long) s.epoch());
            lastEpochs.put(id, (long) s.epoch());
            out.printf(Locale.ROOT, "%-28s epoch %6d/%-6d train %s test %s %6.1f ep/s%n", id, s.epoch(),
                    s.spec().epochs(), s.last() == null ? "  -  " : String.format(Locale.ROOT, "%.3f", s.last().trainAccuracy()),
                    s.lastEvaluated() == null ? "  -  " : String.format(Locale.ROOT, "%.3f", s.lastEvaluated().testAccuracy()),
                    (s.epoch() - before) / seconds);
        }
        out.flush();
    }

    void printTable(List<String> ids) {
        RunsCommand.printTable(out, ids.stream().map(node::summary).toList());
    }

    static Map<String, RunSpec> single(String id, RunSpec spec) {
        Map<String, RunSpec> m = new LinkedHashMap<>();
        m.put(id, spec);
        return m;
    }
}
