package org.grokscope.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.journal.leveldb.javadsl.LeveldbReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.protocol.events.RunEvent;

/**
 * A Grokscope node: the locked data directory, an actor system whose guardian is the
 * {@link RunSupervisor}, and the read journal. The CLI opens one per command today; a
 * long-running server would open one and keep it.
 */
public final class RunSystem implements AutoCloseable {
    private static final String RUN_PREFIX = "run-";
    /** Journal plugins, logging and serializer registrations of a node (see the file for why). */
    static final String NODE_CONFIG = "grokscope-node.conf";

    private final DataDirectory data;
    private final ActorSystem<RunSupervisor.Command> system;
    private final LeveldbReadJournal journal;
    private final Duration askTimeout;
    private final Duration catchUpTimeout;
    private final int maxConcurrent;

    private final AlertSink alerts;
    private final Duration closeGrace;
    private final long readChunk;
    private final Duration pauseTimeout;
    private final Duration terminateTimeout;

    private RunSystem(DataDirectory data, ActorSystem<RunSupervisor.Command> system, int maxConcurrent,
                      AlertSink alerts, Duration closeGrace, long readChunk, Duration askTimeout,
                      Duration catchUpTimeout, Duration pauseTimeout, Duration terminateTimeout) {
        this.data = data;
        this.pauseTimeout = pauseTimeout;
        this.terminateTimeout = terminateTimeout;
        this.askTimeout = askTimeout;
        this.catchUpTimeout = catchUpTimeout;
        this.closeGrace = closeGrace;
        this.readChunk = readChunk;
        this.alerts = alerts;
        this.system = system;
        this.maxConcurrent = maxConcurrent;
        this.journal = PersistenceQuery.get(system).getReadJournalFor(LeveldbReadJournal.class,
                LeveldbReadJournal.Identifier());
    }

    /**
     * Opens the node on {@code dataDir}.
     *
     * @param base        application config (reference.conf, application.conf, overrides)
     * @param maxConcurrent runs trained at once; 0 takes grokscope.supervisor.max-concurrent-runs
     */
    public static RunSystem open(Path dataDir, Config base, int maxConcurrent, String codeVersion, FaultHook faults) {
        DataDirectory data = DataDirectory.open(dataDir);
        try {
            Config config = ConfigFactory.empty()
                    .withValue("grokscope.data-dir", ConfigValueFactory.fromAnyRef(data.root().toString()))
                    .withValue("pekko.persistence.journal.leveldb.dir",
                            ConfigValueFactory.fromAnyRef(data.journal().toString()))
                    .withValue("pekko.persistence.snapshot-store.local.dir",
                            ConfigValueFactory.fromAnyRef(data.snapshots().toString()))
                    .withFallback(ConfigFactory.parseResources(RunSystem.class.getClassLoader(), NODE_CONFIG))
                    .withFallback(base).resolve();
            int cores = Runtime.getRuntime().availableProcessors();
            int configured = config.getInt("grokscope.supervisor.max-concurrent-runs");
            int concurrent = maxConcurrent > 0 ? maxConcurrent : configured > 0 ? configured : cores;
            int perRun = config.getInt("grokscope.supervisor.threads-per-run");
            int threads = perRun > 0 ? perRun : Math.max(1, cores / concurrent);
            TrainerSettings settings = TrainerSettings.create(config,
                    ComputeSettings.create(config).withThreads(threads), codeVersion);
            AlertSink alerts = new AlertSink(data.root(), config);
            ActorSystem<RunSupervisor.Command> system = ActorSystem.create(
                    RunSupervisor.create(settings, concurrent, faults, alerts,
                            new org.grokscope.compute.analysis.CheckpointAnalysis(
                                    config.getStringList("grokscope.analyzers.live"), config)), "grokscope", config);
            return new RunSystem(data, system, concurrent, alerts,
                    config.getDuration("grokscope.supervisor.close-grace"),
                    config.getLong("pekko.persistence.query.journal.leveldb.max-buffer-size"),
                    config.getDuration("grokscope.supervisor.ask-timeout"),
                    config.getDuration("grokscope.supervisor.catch-up-timeout"),
                    config.getDuration("grokscope.supervisor.pause-timeout"),
                    config.getDuration("grokscope.supervisor.terminate-timeout"));
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
    }

    public ActorSystem<RunSupervisor.Command> system() {
        return system;
    }

    /** How long a pause of every run may wait for the trainers to stop (grokscope.supervisor.pause-timeout). */
    public Duration pauseTimeout() {
        return pauseTimeout;
    }

    public Path dataDir() {
        return data.root();
    }

    public AlertSink alerts() {
        return alerts;
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    public <T> T ask(Function<ActorRef<T>, RunSupervisor.Command> message) {
        return ask(message, askTimeout);
    }

    private <T> T ask(Function<ActorRef<T>, RunSupervisor.Command> message, Duration timeout) {
        CompletionStage<T> reply = AskPattern.ask(system, message::apply, timeout, system.scheduler());
        try {
            return reply.toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer from the supervisor: " + e, e);
        }
    }

    /**
     * Journals a completed run whose weights were computed, not trained (grokscope analytic):
     * RunStarted with the spec, one EpochCompleted, the checkpoint and RunCompleted, written at
     * once. Returns null when written, else why not (the id is taken).
     */
    public String recordCompleted(String runId, org.grokscope.protocol.RunSpec spec,
                                  org.grokscope.protocol.EpochMetrics metrics,
                                  org.grokscope.protocol.events.CheckpointSaved checkpoint) {
        Trainer.Reply reply = ask(r -> new RunSupervisor.RecordRun(runId, metrics, spec, checkpoint, r));
        return reply instanceof Trainer.Rejected rejected ? rejected.reason() : null;
    }

    /**
     * Lets the analyzer and onset detector of an ended run read the rest of its journal (see
     * {@link RunSupervisor.CatchUp}) and waits for them. Returns how many analysis and detection
     * events that added.
     */
    public int catchUp(String runId) {
        int before = analyses(runId).size() + detections(runId).size();
        long last = events(runId).size();
        system.tell(new RunSupervisor.CatchUp(runId, last));
        // the followers read the whole run, event by event: long runs take minutes
        ask(RunSupervisor.WhenDetectorsDone::new, catchUpTimeout);
        return analyses(runId).size() + detections(runId).size() - before;
    }

    /**
     * Whether the onset detector or the analyzer of a run has not read all of it: its epochs show
     * an onset or a test-loss peak the detector never journaled, or its last checkpoint has no live
     * analysis of this analyzer version, or a journaled finding has no line in the alerts file. A
     * process killed right after a run's last epochs leaves
     * that, since the followers lag the trainer; {@link #catchUp} repairs it. This reads the
     * journals once, where a catch-up replays the run through the followers event by event.
     */
    public boolean followersBehind(String runId) {
        Config config = system.settings().config();
        org.grokscope.compute.train.EventSettings settings = org.grokscope.compute.train.EventSettings.create(config);
        org.grokscope.compute.train.GrokDetector d = null;
        int lastCheckpoint = -1;
        for (RunEvent e : events(runId)) {
            if (e instanceof org.grokscope.protocol.events.RunStarted started) {
                d = org.grokscope.compute.train.GrokDetector.start(started.spec().p());
            } else if (e instanceof org.grokscope.protocol.events.EpochCompleted ec && d != null) {
                d = d.next(ec.metrics(), settings);
            } else if (e instanceof org.grokscope.protocol.events.CheckpointSaved c) {
                lastCheckpoint = c.epoch();
            }
        }
        List<org.grokscope.protocol.events.DetectorEvent> found = detections(runId);
        if (undelivered(found, runId) > 0) {
            return true; // journaled, but a crash kept its line out of the alerts file
        }
        OnsetDetector.State recorded = new OnsetDetector.State(
                found.stream().anyMatch(f -> f instanceof org.grokscope.protocol.events.GrokkingDetected),
                found.stream().anyMatch(f -> f instanceof org.grokscope.protocol.events.PrecursorDetected p
                        && p.kind().equals(org.grokscope.protocol.events.PrecursorDetected.TEST_LOSS_PEAK)));
        if (d != null && !OnsetDetector.findings(runId, recorded, d).isEmpty()) {
            return true;
        }
        if (lastCheckpoint < 0 || config.getStringList("grokscope.analyzers.live").isEmpty()) {
            return false;
        }
        int last = lastCheckpoint;
        return analyses(runId).stream().noneMatch(a -> a.epoch() == last
                && a.version() == org.grokscope.compute.analysis.CheckpointAnalysis.VERSION);
    }

    /**
     * Findings of the run that are journaled but have no line in the alerts file: a process killed
     * between the two writes. The run's followers deliver them when they start ({@link #catchUp}).
     */
    public int undeliveredAlerts(String runId) {
        return undelivered(detections(runId), runId);
    }

    private int undelivered(List<org.grokscope.protocol.events.DetectorEvent> found, String runId) {
        return (int) found.stream().filter(f -> !alerts.recorded(runId, f)).count();
    }

    /** Ids of every run in the journal. */
    public List<String> runIds() {
        List<String> ids = await(journal.currentPersistenceIds()
                .filter(id -> id.startsWith(RUN_PREFIX))
                .map(id -> id.substring(RUN_PREFIX.length()))
                .runWith(Sink.seq(), system));
        List<String> sorted = new ArrayList<>(ids);
        java.util.Collections.sort(sorted);
        return sorted;
    }

    /** The live analyzers' results of one run, in journal order. */
    public List<org.grokscope.protocol.events.AnalysisRecorded> analyses(String runId) {
        return eventsOf("analysis-" + runId).stream()
                .filter(e -> e instanceof org.grokscope.protocol.events.AnalysisRecorded)
                .map(e -> (org.grokscope.protocol.events.AnalysisRecorded) e)
                .toList();
    }

    /** What the run's onset detector and analyzer found (GrokkingDetected, PrecursorDetected). */
    public List<org.grokscope.protocol.events.DetectorEvent> detections(String runId) {
        List<org.grokscope.protocol.events.DetectorEvent> found = new ArrayList<>();
        for (Object e : eventsOf(OnsetDetector.persistenceId(runId).id())) {
            found.add((org.grokscope.protocol.events.DetectorEvent) e);
        }
        for (Object e : eventsOf("analysis-" + runId)) {
            if (e instanceof org.grokscope.protocol.events.PrecursorDetected p) {
                found.add(p);
            }
        }
        return found;
    }

    /** The journal's events of one run, in order. */
    public List<RunEvent> events(String runId) {
        return eventsOf(RUN_PREFIX + runId).stream().map(e -> (RunEvent) e).toList();
    }

    public RunSummary summary(String runId) {
        return summary(runId, events(runId));
    }

    private RunSummary summary(String runId, List<RunEvent> events) {
        return RunSummary.fold(runId, events,
                org.grokscope.compute.train.EventSettings.create(system.settings().config()));
    }

    /**
     * Null when the run's journal is whole, else a one-line description of the damage: epochs
     * missing in the middle, or a snapshot newer than the last journaled event (the journal file
     * was cut short). Resuming a damaged run is refused; other runs are not affected.
     */
    public String damage(String runId) {
        List<org.apache.pekko.persistence.query.EventEnvelope> envelopes = current(RUN_PREFIX + runId);
        RunSummary s = summary(runId, envelopes.stream().map(e -> (RunEvent) e.event()).toList());
        if (!s.contiguous()) {
            return "the journal of run " + runId + " has missing or repeated epochs (damaged journal file)";
        }
        long highest = envelopes.stream().mapToLong(org.apache.pekko.persistence.query.EventEnvelope::sequenceNr)
                .max().orElse(0L);
        long newestSnapshot = 0;
        String prefix = "snapshot-" + RUN_PREFIX + runId + "-";
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(data.snapshots())) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(prefix)) {
                    String[] rest = name.substring(prefix.length()).split("-");
                    if (rest.length == 2 && rest[0].chars().allMatch(Character::isDigit)) {
                        newestSnapshot = Math.max(newestSnapshot, Long.parseLong(rest[0]));
                    }
                }
            }
        } catch (java.io.IOException e) {
            return null; // no snapshot directory yet
        }
        if (newestSnapshot > highest) {
            return "the journal of run " + runId + " ends at event " + highest + " but a snapshot was taken at event "
                    + newestSnapshot + ": the journal file was truncated or damaged";
        }
        return null;
    }

    public Map<String, org.grokscope.protocol.RunStatus> activeRuns() {
        return ask(RunSupervisor.ListRuns::new);
    }

    /**
     * The events of one persistence id so far, read in bounded ranges of {@code readChunk}. One
     * unbounded currentEventsByPersistenceId over an analysis journal of a few hundred events was
     * seen to deliver 200 of them and then wait forever (Pekko's LevelDB read journal); bounded
     * ranges of the same journal always complete. The ranges end at the first empty one: we never
     * delete events, so there are no gaps.
     */
    private List<org.apache.pekko.persistence.query.EventEnvelope> current(String persistenceId) {
        List<org.apache.pekko.persistence.query.EventEnvelope> all = new ArrayList<>();
        for (long from = 1; ; from += readChunk) {
            List<org.apache.pekko.persistence.query.EventEnvelope> chunk = await(journal
                    .currentEventsByPersistenceId(persistenceId, from, from + readChunk - 1)
                    .runWith(Sink.seq(), system));
            if (chunk.isEmpty()) {
                return all;
            }
            all.addAll(chunk);
        }
    }

    /** The payloads of {@link #current}. */
    private List<Object> eventsOf(String persistenceId) {
        return current(persistenceId).stream().map(org.apache.pekko.persistence.query.EventEnvelope::event).toList();
    }

    private <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new JournalException("cannot read the journal in " + data.root() + ": " + cause.getMessage());
        }
    }

    /** The journal could not be read (corrupt or truncated files); the message is one line. */
    public static final class JournalException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public JournalException(String message) {
            super(message.replace('\n', ' '), null, false, false);
        }
    }

    @Override
    public void close() {
        try {
            // no journal read may be running when the database closes (see close-grace)
            system.tell(new RunSupervisor.StopFollowers());
            ask(RunSupervisor.WhenDetectorsDone::new);
            Thread.sleep(closeGrace.toMillis());
        } catch (RuntimeException | InterruptedException e) {
            // best effort: closing goes on
        }
        try {
            alerts.close();
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(terminateTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // terminate is best effort; the lock goes with the process anyway
        } finally {
            data.close();
        }
    }
}
