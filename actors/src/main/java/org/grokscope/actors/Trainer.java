package org.grokscope.actors;


import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.grokscope.compute.backend.Backend;
import org.grokscope.compute.train.EventSettings;
import org.grokscope.compute.train.GrokProgress;
import org.grokscope.compute.train.TrainingRun;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunStatus;
import org.grokscope.protocol.SpecException;
import org.grokscope.protocol.events.CheckpointSaved;
import org.grokscope.protocol.events.EpochCompleted;
import org.grokscope.protocol.events.RunCompleted;
import org.grokscope.protocol.events.RunEvent;
import org.grokscope.protocol.events.RunFailed;
import org.grokscope.protocol.events.RunPaused;
import org.grokscope.protocol.events.RunResumed;
import org.grokscope.protocol.events.RunStarted;
import org.grokscope.protocol.events.RunStopped;
import org.grokscope.protocol.events.TrainingSessionStarted;
import org.grokscope.protocol.serialization.KryoSerializable;

/**
 * One training run as an event-sourced entity (persistence id {@code run-<id>}). It trains in
 * chunks on the training dispatcher and persists one EpochCompleted per epoch, a CheckpointSaved
 * (weights and optimizer state) at the spec's cadence and at the end, and a snapshot with every
 * checkpoint. After a crash it restores the last checkpoint and recomputes, without persisting, the
 * epochs the journal already holds (training is deterministic), so the journal never has gaps or
 * duplicates and the final weights equal those of an uninterrupted run.
 */
public final class Trainer extends EventSourcedBehavior<Trainer.Command, RunEvent, Trainer.State> {

    // ---- Command ----

    public sealed interface Command {
    }

    /** Create the run (when new) and train; resumes a paused run. */
    public record Start(RunSpec spec, ActorRef<Reply> replyTo) implements Command {
    }

    public record Pause(ActorRef<Reply> replyTo) implements Command {
    }

    public record Stop(ActorRef<Reply> replyTo) implements Command {
    }

    /** Sent by the supervisor when restarts ran out: records the failure and stops. */
    public record MarkFailed(String reason, ActorRef<Reply> replyTo) implements Command {
    }

    public record GetState(ActorRef<State> replyTo) implements Command {
    }

    /**
     * Journals, as one atomic write, a finished run that was computed rather than trained here
     * (analytic weights): RunStarted, its one epoch, its checkpoint and RunCompleted. So replay,
     * plot and export read it like any other run. Rejected when the run id is taken.
     */
    public record Record(RunSpec spec, EpochMetrics metrics, CheckpointSaved checkpoint, ActorRef<Reply> replyTo)
            implements Command {
    }

    private record Continue() implements Command {
    }

    private record ChunkDone(Chunk chunk) implements Command {
    }

    private record ChunkFailed(Throwable error) implements Command {
    }

    /** From the run's {@link BatchTrainer}: a chunk computed in the batch. */
    record BatchChunkDone(Chunk chunk) implements Command {
    }

    /** From the run's {@link BatchTrainer}: the batch failed; restart like a failed chunk. */
    record BatchChunkFailed(Throwable error) implements Command {
    }

    /** From the run's {@link BatchTrainer}: this run does not fit the batch; train on an own engine. */
    record TrainAlone() implements Command {
    }

    /**
     * The run's batch has stopped. A trainer restarted after a fault is built with the batch it
     * started in, which may have broken up since: its requests would go nowhere, so it trains alone.
     */
    private record GroupEnded() implements Command {
    }

    /**
     * Told to the supervisor when the trainer is done on purpose (paused, completed, failed,
     * stopped, or no such run); the supervisor then stops it. Trainers never stop themselves, so a
     * reply and the final state can always be read.
     *
     * @param state the run's state as it ended, so listeners need not read the journal back; null
     *              when no trainer could say (recovery or journal writes failed)
     */
    public record Ended(String runId, RunStatus status, String reason, ActorRef<Command> trainer, long sequenceNr,
                        State state) {
    }

    // ---- Reply ----

    public sealed interface Reply {
    }

    public record Accepted(String runId, RunStatus status, int epoch) implements Reply {
    }

    public record Rejected(String runId, String reason) implements Reply {
    }

    // ---- State ----

    /**
     * What the journal says about the run: status, spec, last journaled epoch and its metrics,
     * grokking progress and the last checkpoint. Snapshots store exactly this.
     */
    public record State(String runId, RunStatus status, RunSpec spec, String codeVersion, int epoch,
                        EpochMetrics last, EpochMetrics lastEvaluated, GrokProgress grok, CheckpointSaved checkpoint,
                        String reason) implements KryoSerializable {

        static State empty(String runId) {
            return new State(runId, RunStatus.NEW, null, null, 0, null, null, GrokProgress.START, null, null);
        }

        State with(RunStatus newStatus, String newReason) {
            return new State(runId, newStatus, spec, codeVersion, epoch, last, lastEvaluated, grok, checkpoint, newReason);
        }

        /**
         * The state after one event: the trainer's event handler, and what a snapshot must equal
         * after folding the events before it (the golden journal test checks exactly that).
         */
        State apply(RunEvent event, EventSettings events) {
            if (event instanceof RunStarted e) {
                return new State(runId, RunStatus.RUNNING, e.spec(), e.codeVersion(), 0, null, null, GrokProgress.START,
                        null, null);
            } else if (event instanceof EpochCompleted e) {
                return new State(runId, status, spec, codeVersion, e.epoch(), e.metrics(),
                        e.metrics().evaluated() ? e.metrics() : lastEvaluated, grok.next(e.metrics(), events), checkpoint,
                        reason);
            } else if (event instanceof CheckpointSaved e) {
                return new State(runId, status, spec, codeVersion, epoch, last, lastEvaluated, grok, e, reason);
            } else if (event instanceof RunPaused) {
                return with(RunStatus.PAUSED, null);
            } else if (event instanceof RunResumed) {
                return with(RunStatus.RUNNING, null);
            } else if (event instanceof RunCompleted) {
                return with(RunStatus.COMPLETED, null);
            } else if (event instanceof RunFailed e) {
                return with(RunStatus.FAILED, e.reason());
            } else if (event instanceof RunStopped) {
                return with(RunStatus.STOPPED, null);
            } else if (event instanceof TrainingSessionStarted) {
                return this; // provenance only: the state (and so the snapshot format) is unchanged
            }
            throw new IllegalArgumentException("not a run event of this format: " + event);
        }
    }

    // ---- create ----

    /**
     * @param failures where the trainer leaves its last error before a restart, so whoever records
     *                 the run as Failed (restarts exhausted) can say why
     * @param train    false for a trainer that only answers queries and control commands
     * @param ended    told when the trainer stops on purpose
     */
    public static Behavior<Command> create(String runId, TrainerSettings settings, FaultHook faults,
                                           Map<String, String> failures, boolean train, ActorRef<Ended> ended) {
        return create(runId, settings, faults, failures, train, ended, true);
    }

    /** @param useSnapshots false to recover from the journal alone (when a snapshot is unreadable) */
    public static Behavior<Command> create(String runId, TrainerSettings settings, FaultHook faults,
                                           Map<String, String> failures, boolean train, ActorRef<Ended> ended,
                                           boolean useSnapshots) {
        return create(runId, settings, faults, failures, train, ended, useSnapshots, null);
    }

    /** @param group the batch this run trains in; null to train on its own engine */
    public static Behavior<Command> create(String runId, TrainerSettings settings, FaultHook faults,
                                           Map<String, String> failures, boolean train, ActorRef<Ended> ended,
                                           boolean useSnapshots, ActorRef<BatchTrainer.Command> group) {
        Behavior<Command> trainer = Behaviors.setup(
                ctx -> new Trainer(ctx, runId, settings, faults, failures, train, ended, useSnapshots, group));
        return Behaviors.supervise(trainer).onFailure(TrainingFault.class,
                SupervisorStrategy.restartWithBackoff(settings.minBackoff(), settings.maxBackoff(),
                        settings.randomFactor()).withMaxRestarts(settings.maxRestarts())
                        // onChunkFailed says it in one line; the stack trace is at debug level
                        .withLoggingEnabled(false));
    }

    public static PersistenceId persistenceId(String runId) {
        return PersistenceId.ofUniqueId("run-" + runId);
    }

    /** Thrown on the actor when a chunk failed, so supervision restarts it from its snapshot. */
    static final class TrainingFault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TrainingFault(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ActorContext<Command> context;
    private final String runId;
    private final TrainerSettings settings;
    private final FaultHook faults;
    private final Map<String, String> failures;
    private final boolean train;
    private final Executor trainingExecutor;
    private final ActorRef<Ended> ended;
    private final boolean useSnapshots;
    /** The batch that computes this run's chunks; null when it trains on its own engine. */
    private ActorRef<BatchTrainer.Command> group;

    /** The compute side; lives outside State because it is rebuilt from State, never journaled. */
    private TrainingRun session;
    /** Epochs and checkpoint the session has already handed over (journaled or being journaled). */
    private int handedOver;
    private int checkpointHandedOver;
    private boolean chunkInFlight;
    private boolean controlWaiting;

    private Trainer(ActorContext<Command> context, String runId, TrainerSettings settings, FaultHook faults,
                    Map<String, String> failures, boolean train, ActorRef<Ended> ended, boolean useSnapshots,
                    ActorRef<BatchTrainer.Command> group) {
        super(persistenceId(runId));
        this.group = group;
        this.ended = ended;
        this.useSnapshots = useSnapshots;
        this.context = context;
        this.runId = runId;
        this.settings = settings;
        this.faults = faults;
        this.failures = failures;
        this.train = train;
        this.trainingExecutor = context.getSystem().dispatchers()
                .lookup(DispatcherSelector.fromConfig("grokscope.training-dispatcher"));
        if (group != null) {
            context.watchWith(group, new GroupEnded());
        }
    }

    @Override
    public State emptyState() {
        return State.empty(runId);
    }

    // ---- handlers ----

    @Override
    public CommandHandler<Command, RunEvent, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Start.class, this::onStart)
                .onCommand(Pause.class, this::onPause)
                .onCommand(Stop.class, this::onStop)
                .onCommand(MarkFailed.class, this::onMarkFailed)
                .onCommand(GetState.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
                .onCommand(Record.class, this::onRecord)
                .onCommand(Continue.class, this::onContinue)
                .onCommand(ChunkDone.class, this::onChunkDone)
                .onCommand(ChunkFailed.class, this::onChunkFailed)
                .onCommand(BatchChunkDone.class, (state, cmd) -> onChunkDone(state, new ChunkDone(cmd.chunk())))
                .onCommand(BatchChunkFailed.class, (state, cmd) -> onChunkFailed(state, new ChunkFailed(cmd.error())))
                .onCommand(TrainAlone.class, this::onTrainAlone)
                .onCommand(GroupEnded.class, this::onGroupEnded)
                .build();
    }

    private Effect<RunEvent, State> onStart(State state, Start cmd) {
        if (state.status() == RunStatus.NEW && cmd.spec() == null) {
            // a resume of a run that does not exist: nothing may be written for it
            return Effect().none().thenRun(s -> {
                cmd.replyTo().tell(new Rejected(runId, "no run " + runId + " in this data directory"));
                announceEnd(s);
            });
        }
        if (state.status() == RunStatus.NEW) {
            RunStarted started = new RunStarted(runId, cmd.spec(), settings.codeVersion(), System.currentTimeMillis());
            return Effect().persist(started).thenRun(s -> startChunk(s)).thenReply(cmd.replyTo(), this::accepted);
        }
        if (state.status() == RunStatus.PAUSED) {
            return Effect().persist(new RunResumed(state.epoch())).thenRun(s -> startChunk(s))
                    .thenReply(cmd.replyTo(), this::accepted);
        }
        if (state.status() == RunStatus.RUNNING) {
            startChunk(state);
            return Effect().reply(cmd.replyTo(), accepted(state));
        }
        // an ended run: announced as ended too, so a batch it was queued into does not wait for it
        return Effect().none().thenRun(s -> {
            cmd.replyTo().tell(new Rejected(runId, "run " + runId + " is " + s.status().specName()));
            announceEnd(s);
        });
    }

    private Effect<RunEvent, State> onRecord(State state, Record cmd) {
        if (state.status() != RunStatus.NEW) {
            return Effect().none().thenRun(s -> {
                cmd.replyTo().tell(new Rejected(runId, "run " + runId + " already exists"));
                announceEnd(s);
            });
        }
        EpochMetrics m = cmd.metrics();
        GrokProgress grok = GrokProgress.START.next(m, settings.events());
        List<RunEvent> events = List.of(
                new RunStarted(runId, cmd.spec(), settings.codeVersion(), System.currentTimeMillis()),
                new EpochCompleted(m), cmd.checkpoint(), new RunCompleted(m.epoch(), grok.tFit(), grok.tGrok()));
        return Effect().persist(events).thenRun(this::announceEnd).thenReply(cmd.replyTo(), this::accepted);
    }

    private Effect<RunEvent, State> onPause(State state, Pause cmd) {
        if (chunkInFlight) {
            controlWaiting = true;
            return Effect().stash();
        }
        if (state.status() != RunStatus.RUNNING) {
            return Effect().reply(cmd.replyTo(), accepted(state));
        }
        return Effect().persist(new RunPaused(state.epoch())).thenRun(s -> endWith(s, cmd.replyTo()));
    }

    private Effect<RunEvent, State> onStop(State state, Stop cmd) {
        if (chunkInFlight) {
            controlWaiting = true;
            return Effect().stash();
        }
        if (state.status().terminal() || state.status() == RunStatus.NEW) {
            return Effect().reply(cmd.replyTo(), accepted(state));
        }
        return Effect().persist(new RunStopped(state.epoch())).thenRun(s -> endWith(s, cmd.replyTo()));
    }

    private Effect<RunEvent, State> onMarkFailed(State state, MarkFailed cmd) {
        if (chunkInFlight) {
            controlWaiting = true;
            return Effect().stash();
        }
        if (state.status().terminal()) {
            return Effect().reply(cmd.replyTo(), accepted(state));
        }
        return Effect().persist(new RunFailed(state.epoch(), cmd.reason())).thenRun(s -> endWith(s, cmd.replyTo()));
    }

    private Effect<RunEvent, State> onTrainAlone(State state, TrainAlone cmd) {
        group = null;
        chunkInFlight = false;
        if (controlWaiting) {
            controlWaiting = false;
            return Effect().unstashAll();
        }
        startChunk(state);
        return Effect().none();
    }

    private Effect<RunEvent, State> onGroupEnded(State state, GroupEnded cmd) {
        return group == null ? Effect().none() : onTrainAlone(state, new TrainAlone());
    }

    private Effect<RunEvent, State> onContinue(State state, Continue cmd) {
        startChunk(state);
        return Effect().none();
    }

    private Effect<RunEvent, State> onChunkDone(State state, ChunkDone done) {
        chunkInFlight = false;
        Chunk chunk = done.chunk();
        String diskProblem = diskProblem();
        if (diskProblem != null) {
            // the chunk's epochs are recomputed on resume; only a small pause event is written
            context.getLog().error("run {}: {}", runId, diskProblem);
            return pauseFor(state, diskProblem);
        }
        List<RunEvent> events = new ArrayList<>();
        if (chunk.session() != null) {
            events.add(chunk.session());
        }
        for (EpochMetrics m : chunk.fresh()) {
            events.add(new EpochCompleted(m));
        }
        if (chunk.checkpoint() != null) {
            events.add(chunk.checkpoint());
        }
        int last = chunk.fresh().isEmpty() ? state.epoch() : chunk.fresh().get(chunk.fresh().size() - 1).epoch();
        if (chunk.diverged()) {
            events.add(new RunFailed(last, RunFailed.DIVERGED));
        } else if (chunk.finished()) {
            GrokProgress grok = state.grok();
            for (EpochMetrics m : chunk.fresh()) {
                grok = grok.next(m, settings.events());
            }
            events.add(new RunCompleted(last, grok.tFit(), grok.tGrok()));
        }
        boolean resumeAfter = !controlWaiting;
        if (chunk.error() == null) {
            // a failed chunk keeps the flag: onChunkFailed carries the waiting command out
            controlWaiting = false;
        }
        if (chunk.error() == null && !chunk.diverged() && !chunk.finished() && resumeAfter) {
            // pipelined: the next chunk trains while this one is journaled
            startChunk(state);
        }
        if (chunk.error() != null) {
            Runnable fail = () -> context.getSelf().tell(new ChunkFailed(chunk.error()));
            return events.isEmpty() ? Effect().none().thenRun(s -> fail.run())
                    : Effect().persist(events).thenRun(s -> fail.run());
        }
        if (chunk.diverged() || chunk.finished()) {
            return Effect().persist(events).thenRun(this::announceEnd);
        }
        if (events.isEmpty()) {
            // a chunk that only recomputed journaled epochs (resume from an older checkpoint)
            return Effect().none().thenUnstashAll();
        }
        return Effect().persist(events).thenUnstashAll();
    }

    private void endWith(State state, ActorRef<Reply> replyTo) {
        replyTo.tell(accepted(state));
        announceEnd(state);
    }

    /** Null while the data directory has room, else a one-line explanation. */
    private String diskProblem() {
        try {
            long free = java.nio.file.Files.getFileStore(settings.dataDir()).getUsableSpace();
            if (free < settings.minFreeDisk()) {
                return "paused: only " + free / 1024 + " KiB free in " + settings.dataDir() + " (grokscope.trainer"
                        + ".min-free-disk is " + settings.minFreeDisk() / 1024 + " KiB); free space, then resume";
            }
            return null;
        } catch (java.io.IOException e) {
            return "paused: cannot check free space in " + settings.dataDir() + ": " + e.getMessage();
        }
    }

    private void announceEnd(State state) {
        leaveGroup();
        ended.tell(new Ended(runId, state.status(), state.reason(), context.getSelf(), lastSequenceNumber(context),
                state));
    }

    /** Pauses the run on its own account (no Pause command), telling the supervisor why. */
    private Effect<RunEvent, State> pauseFor(State state, String reason) {
        return Effect().persist(new RunPaused(state.epoch()))
                .thenRun(s -> {
                    leaveGroup();
                    ended.tell(new Ended(runId, RunStatus.PAUSED, reason, context.getSelf(),
                            lastSequenceNumber(context), s));
                })
                .thenUnstashAll();
    }

    private Effect<RunEvent, State> onChunkFailed(State state, ChunkFailed failed) {
        chunkInFlight = false;
        Throwable error = failed.error();
        if (controlWaiting) {
            // a Pause, Stop or MarkFailed waited for this chunk: a restart would drop it with the
            // stash and train on, so it is carried out instead (a resume recomputes what failed)
            controlWaiting = false;
            context.getLog().warn("run {} failed at epoch {}: {}: {}; carrying out the command that waited", runId,
                    state.epoch(), error.getClass().getSimpleName(), error.getMessage());
            return Effect().unstashAll();
        }
        if (error instanceof org.grokscope.compute.backend.opencl.OpenClException) {
            // this machine cannot run the backend the spec asks for: restarts cannot help, another
            // machine (or a driver) can, so the run stays resumable
            String reason = error.getMessage() + "; resume it where the backend can run";
            // the caller shows the reason with the run's end; the log has it for the record
            context.getLog().info("run {} paused: {}", runId, reason);
            return pauseFor(state, reason);
        }
        if (error instanceof SpecException) {
            // the spec itself cannot train (say, a split with no training pairs): it never will
            context.getLog().info("run {} failed: {}", runId, error.getMessage());
            return Effect().persist(new RunFailed(state.epoch(), error.getMessage())).thenRun(this::announceEnd);
        }
        String reason = error.getClass().getSimpleName() + ": " + error.getMessage();
        failures.put(runId, reason);
        context.getLog().warn("run {} failed at epoch {}: {}; restarting from its last checkpoint", runId,
                state.epoch(), reason);
        context.getLog().debug("run {} fault", runId, error);
        throw new TrainingFault(reason, error);
    }

    private Accepted accepted(State state) {
        return new Accepted(runId, state.status(), state.epoch());
    }

    @Override
    public EventHandler<State, RunEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onAnyEvent((state, event) -> state.apply(event, settings.events()));
    }

    @Override
    public org.apache.pekko.persistence.typed.javadsl.Recovery recovery() {
        return useSnapshots ? super.recovery()
                : org.apache.pekko.persistence.typed.javadsl.Recovery.withSnapshotSelectionCriteria(
                        org.apache.pekko.persistence.typed.SnapshotSelectionCriteria.none());
    }

    /** Recovery failures carry this prefix; the supervisor retries once without snapshots. */
    public static final String RECOVERY_FAILED = "cannot recover run ";

    @Override
    public boolean shouldSnapshot(State state, RunEvent event, long sequenceNr) {
        return event instanceof CheckpointSaved;
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    if (train && state.status() == RunStatus.RUNNING) {
                        context.getSelf().tell(new Continue());
                    }
                })
                .onSignal(org.apache.pekko.persistence.typed.RecoveryFailed.class, (state, failed) ->
                        // nothing can be written for a run whose journal cannot be read
                        ended.tell(new Ended(runId, RunStatus.FAILED, RECOVERY_FAILED + runId
                                + " from the journal: " + failed.getFailure().getMessage(), context.getSelf(), 0L,
                                null)))
                .onSignal(PostStop.instance(), state -> {
                    leaveGroup();
                    closeSession();
                })
                .onSignal(PreRestart.instance(), state -> closeSession())
                .build();
    }

    // ---- training, off the actor ----

    /** The result of one chunk: epochs not yet journaled, a checkpoint if one fell due. */
    record Chunk(List<EpochMetrics> fresh, CheckpointSaved checkpoint, boolean diverged, boolean finished,
                         Throwable error, TrainingSessionStarted session) {
    }

    /** What a newly opened engine journals before its first epochs (see {@link TrainingSessionStarted}). */
    static TrainingSessionStarted sessionStarted(TrainerSettings settings, Backend backend, int epoch) {
        return new TrainingSessionStarted(epoch, settings.codeVersion(), backend.name(), backend.device(),
                settings.compute().lanes(), settings.compute().threads());
    }

    private void startChunk(State state) {
        if (!train || chunkInFlight || state.status() != RunStatus.RUNNING || state.spec() == null) {
            return;
        }
        chunkInFlight = true;
        if (group != null) {
            group.tell(new BatchTrainer.Ready(runId, state.spec(), state.epoch(), state.checkpoint(), context.getSelf()));
            return;
        }
        CompletableFuture<Chunk> chunk = CompletableFuture.supplyAsync(() -> runChunk(state), trainingExecutor);
        context.pipeToSelf(chunk, (result, error) -> error == null ? new ChunkDone(result)
                : new ChunkFailed(error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error));
    }

    private Chunk runChunk(State state) {
        RunSpec spec = state.spec();
        TrainingSessionStarted opened = null;
        if (session == null) {
            session = openSession(state);
            handedOver = state.epoch();
            checkpointHandedOver = state.checkpoint() == null ? 0 : state.checkpoint().epoch();
            opened = sessionStarted(settings, session.backend(), state.epoch());
        }
        long deadline = System.nanoTime() + settings.chunkDuration().toNanos();
        List<EpochMetrics> fresh = new ArrayList<>();
        CheckpointSaved checkpoint = null;
        boolean diverged = false;
        while (session.epoch() < spec.epochs()) {
            EpochMetrics m;
            try {
                faults.beforeEpoch(runId, session.epoch() + 1);
                m = session.runEpoch();
            } catch (RuntimeException e) {
                // the epochs done so far are valid (training is deterministic): keep them
                closeSession();
                return new Chunk(fresh, null, false, false, e, opened);
            }
            boolean isFresh = m.epoch() > handedOver;
            if (isFresh) {
                fresh.add(m);
            }
            if (org.grokscope.compute.train.Divergence.of(m)) {
                diverged = true;
                break;
            }
            if (Checkpoints.due(spec, m.epoch()) && m.epoch() > checkpointHandedOver) {
                checkpoint = Checkpoints.of(session.engine(), m.epoch());
                checkpointHandedOver = m.epoch();
                break;
            }
            // recomputed epochs count too: a resume that restores an old checkpoint must still
            // answer a Pause within one chunk, not after the whole catch-up
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        if (!fresh.isEmpty()) {
            handedOver = fresh.get(fresh.size() - 1).epoch();
        }
        return new Chunk(fresh, checkpoint, diverged, !diverged && session.epoch() == spec.epochs(), null, opened);
    }

    /** Rebuilds the compute side from the journal: last checkpoint, then deterministic catch-up. */
    private TrainingRun openSession(State state) {
        RunSpec spec = state.spec();
        TrainingRun run = TrainingRun.create(spec, settings.compute());
        CheckpointSaved cp = state.checkpoint();
        if (cp != null) {
            run.restore(cp.epoch(), Checkpoints.weights(spec, cp), Checkpoints.optimizerState(cp));
        }
        return run;
    }

    private void leaveGroup() {
        if (group != null) {
            group.tell(new BatchTrainer.Leave(runId));
            group = null;
        }
    }

    private void closeSession() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

}
