package org.grokscope.actors;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunStatus;

/**
 * Starts, queues and supervises runs: one {@link Trainer} child per active run, at most
 * {@code maxConcurrent} training at once, the rest queued in submission order. A trainer that
 * fails is restarted with backoff by its own supervision; when restarts run out it stops, and the
 * supervisor records the run as Failed with the last error. One run's failure never touches
 * another's trainer or journal.
 */
public final class RunSupervisor extends AbstractBehavior<RunSupervisor.Command> {

    public sealed interface Command {
    }

    /**
     * Train a new run under this id, or continue an existing one (resume).
     *
     * @param spec      the new run's spec; null continues the run from its journal
     * @param journaled for a resume, what the caller read of its journal (null if nothing): only used
     *                  to queue resumed runs that would restart from the same checkpoint into one
     *                  batch; the trainer reads its own journal
     */
    public record StartRun(String runId, RunSpec spec, Journaled journaled, ActorRef<Trainer.Reply> replyTo)
            implements Command {
        public StartRun(String runId, RunSpec spec, ActorRef<Trainer.Reply> replyTo) {
            this(runId, spec, null, replyTo);
        }
    }

    /** A resumed run's spec and the epoch of its last checkpoint (0: none), as its journal holds them. */
    public record Journaled(RunSpec spec, int checkpointEpoch) {
        public static Journaled of(RunSummary summary) {
            return new Journaled(summary.spec(),
                    summary.lastCheckpoint() == null ? 0 : summary.lastCheckpoint().epoch());
        }
    }

    /**
     * Several runs queued at once, so compatible ones can be admitted together as one batch (a
     * sweep submits its grid this way).
     */
    public record StartRuns(java.util.List<StartRun> runs) implements Command {
    }

    public record PauseRun(String runId, ActorRef<Trainer.Reply> replyTo) implements Command {
    }

    /** Journal a run computed elsewhere (analytic weights) as completed; see {@link Trainer.Record}. */
    public record RecordRun(String runId, org.grokscope.protocol.EpochMetrics metrics, RunSpec spec,
                            org.grokscope.protocol.events.CheckpointSaved checkpoint,
                            ActorRef<Trainer.Reply> replyTo) implements Command {
    }

    public record StopRun(String runId, ActorRef<Trainer.Reply> replyTo) implements Command {
    }

    /**
     * Pauses every active run and drops the queue (a clean shutdown). Queued runs have no journal
     * yet, so the reply names them: whoever started them says they were not started.
     */
    public record PauseAll(ActorRef<Paused> replyTo) implements Command {
    }

    /** @param dropped queued runs that never started, in submission order: nothing of them is journaled */
    public record Paused(int active, List<String> dropped) {
    }

    /** Active and queued runs with their statuses as this process sees them. */
    public record ListRuns(ActorRef<Map<String, RunStatus>> replyTo) implements Command {
    }

    /** The journaled state of an active run, for progress views; empty when not active here. */
    public record GetRunState(String runId, ActorRef<java.util.Optional<Trainer.State>> replyTo) implements Command {
    }

    /** Who to tell when a run ends (completed, failed, paused, stopped). */
    public record Subscribe(ActorRef<Trainer.Ended> listener) implements Command {
    }

    private record TrainerEnded(Trainer.Ended ended) implements Command {
    }

    private record TrainerTerminated(String runId, boolean training, ActorRef<Trainer.Command> trainer)
            implements Command {
    }

    /** @param batchKey runs with equal non-null keys may train as one batch (see {@link #batchKey}) */
    private record Queued(String runId, RunSpec spec, String batchKey, ActorRef<Trainer.Reply> replyTo) {
    }

    /**
     * Starts the onset detector and the analyzer of a run that has ended, to read its journal up
     * to {@code sequenceNr} and stop: a process that died after the run's last event but before
     * they had read it would otherwise leave the last checkpoint unanalysed for good. They carry
     * their own progress, so what they did before is not done again.
     */
    public record CatchUp(String runId, long sequenceNr) implements Command {
    }

    /** Stops every journal follower now, wherever it is in its journal (they resume from their own progress). */
    public record StopFollowers() implements Command {
    }

    /** Replies once no onset detector is running any more (they finish reading after their run ends). */
    public record WhenDetectorsDone(ActorRef<Integer> replyTo) implements Command {
    }

    private record DetectorTerminated(String runId) implements Command {
    }

    private record BatchTerminated(ActorRef<BatchTrainer.Command> batch) implements Command {
    }

    public static Behavior<Command> create(TrainerSettings settings, int maxConcurrent, FaultHook faults) {
        return create(settings, maxConcurrent, faults, null, null);
    }

    /**
     * @param alerts   where onset detectors publish; null runs no detectors
     * @param analysis the live analyzers; null runs none
     */
    public static Behavior<Command> create(TrainerSettings settings, int maxConcurrent, FaultHook faults,
                                           AlertSink alerts, org.grokscope.compute.analysis.CheckpointAnalysis analysis) {
        return Behaviors.setup(ctx -> new RunSupervisor(ctx, settings, maxConcurrent, faults, alerts, analysis));
    }

    private final TrainerSettings settings;
    private final int maxConcurrent;
    private final FaultHook faults;
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final Map<String, ActorRef<Trainer.Command>> active = new LinkedHashMap<>();
    private final Map<String, RunStatus> ended = new HashMap<>();
    /** Runs waiting for a slot by id, in arrival order: a sweep queues thousands, so lookups must not scan. */
    private final java.util.LinkedHashMap<String, Queued> queue = new java.util.LinkedHashMap<>();
    private final ActorRef<Trainer.Ended> endedAdapter;
    private final java.util.List<ActorRef<Trainer.Ended>> listeners = new java.util.ArrayList<>();
    /** The command each spawned trainer was given, to repeat it after a snapshot-less respawn. */
    private final Map<String, Trainer.Command> firstCommand = new HashMap<>();
    private final java.util.Set<String> withoutSnapshots = new java.util.HashSet<>();
    /** Trainers replaced by a snapshot-less one: their termination means nothing. */
    private final java.util.Set<ActorRef<Trainer.Command>> retired = new java.util.HashSet<>();

    private final AlertSink alerts;
    private final org.grokscope.compute.analysis.CheckpointAnalysis analysis;
    /** Journal followers (onset detectors and analyzers) still reading, by actor name. */
    private final Map<String, ActorRef<?>> detectors = new HashMap<>();
    private final java.util.List<ActorRef<Integer>> waitingForDetectors = new java.util.ArrayList<>();
    /** The batch each grouped active run trains in; a batch takes one concurrency slot. */
    private final Map<String, ActorRef<BatchTrainer.Command>> batchOf = new HashMap<>();
    private final java.util.Set<ActorRef<BatchTrainer.Command>> batches = new java.util.HashSet<>();

    private RunSupervisor(ActorContext<Command> context, TrainerSettings settings, int maxConcurrent,
                          FaultHook faults, AlertSink alerts, org.grokscope.compute.analysis.CheckpointAnalysis analysis) {
        super(context);
        this.alerts = alerts;
        this.analysis = analysis;
        this.settings = settings;
        this.maxConcurrent = maxConcurrent;
        this.faults = faults;
        this.endedAdapter = context.messageAdapter(Trainer.Ended.class, TrainerEnded::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(StartRun.class, this::onStartRun)
                .onMessage(StartRuns.class, this::onStartRuns)
                .onMessage(PauseRun.class, this::onPauseRun)
                .onMessage(RecordRun.class, this::onRecordRun)
                .onMessage(StopRun.class, this::onStopRun)
                .onMessage(PauseAll.class, this::onPauseAll)
                .onMessage(ListRuns.class, this::onListRuns)
                .onMessage(Subscribe.class, this::onSubscribe)
                .onMessage(GetRunState.class, this::onGetRunState)
                .onMessage(TrainerEnded.class, this::onTrainerEnded)
                .onMessage(Forward.class, this::onForward)
                .onMessage(CatchUp.class, this::onCatchUp)
                .onMessage(StopFollowers.class, this::onStopFollowers)
                .onMessage(WhenDetectorsDone.class, this::onWhenDetectorsDone)
                .onMessage(DetectorTerminated.class, this::onDetectorTerminated)
                .onMessage(TrainerTerminated.class, this::onTrainerTerminated)
                .onMessage(BatchTerminated.class, this::onBatchTerminated)
                .build();
    }

    private Behavior<Command> onStartRun(StartRun cmd) {
        enqueue(cmd);
        admit();
        return this;
    }

    private Behavior<Command> onStartRuns(StartRuns cmd) {
        cmd.runs().forEach(this::enqueue);
        admit();
        return this;
    }

    private void enqueue(StartRun cmd) {
        if (active.containsKey(cmd.runId()) || queue.containsKey(cmd.runId())) {
            cmd.replyTo().tell(new Trainer.Rejected(cmd.runId(), "run " + cmd.runId() + " is already active"));
            return;
        }
        ended.remove(cmd.runId());
        // a new run starts from no checkpoint, like a resumed run whose journal has none
        Journaled batchBy = cmd.spec() != null ? new Journaled(cmd.spec(), 0) : cmd.journaled();
        queue.put(cmd.runId(), new Queued(cmd.runId(), cmd.spec(), batchKey(batchBy), cmd.replyTo()));
    }

    private Behavior<Command> onRecordRun(RecordRun cmd) {
        if (active.containsKey(cmd.runId()) || queue.containsKey(cmd.runId())) {
            cmd.replyTo().tell(new Trainer.Rejected(cmd.runId(), "run " + cmd.runId() + " is already active"));
            return this;
        }
        // a recording trainer: it never trains, so no slot, detector or analyzer is involved
        send(cmd.runId(), spawn(cmd.runId(), false, true),
                new Trainer.Record(cmd.spec(), cmd.metrics(), cmd.checkpoint(), cmd.replyTo()));
        return this;
    }

    private Behavior<Command> onPauseRun(PauseRun cmd) {
        return control(cmd.runId(), cmd.replyTo(), new Trainer.Pause(cmd.replyTo()), RunStatus.PAUSED);
    }

    private Behavior<Command> onStopRun(StopRun cmd) {
        return control(cmd.runId(), cmd.replyTo(), new Trainer.Stop(cmd.replyTo()), RunStatus.STOPPED);
    }

    private Behavior<Command> control(String runId, ActorRef<Trainer.Reply> replyTo, Trainer.Command command,
                                      RunStatus whenQueued) {
        ActorRef<Trainer.Command> trainer = active.get(runId);
        if (trainer != null) {
            trainer.tell(command);
        } else if (queue.remove(runId) != null) {
            replyTo.tell(new Trainer.Accepted(runId, whenQueued, 0));
        } else {
            // not active in this process: a trainer that only records the command
            send(runId, spawn(runId, false, true), command);
        }
        return this;
    }

    private Behavior<Command> onPauseAll(PauseAll cmd) {
        List<String> dropped = List.copyOf(queue.keySet());
        queue.clear();
        ActorRef<Trainer.Reply> ignore = getContext().getSystem().ignoreRef();
        for (ActorRef<Trainer.Command> trainer : active.values()) {
            trainer.tell(new Trainer.Pause(ignore));
        }
        cmd.replyTo().tell(new Paused(active.size(), dropped));
        return this;
    }

    private Behavior<Command> onListRuns(ListRuns cmd) {
        Map<String, RunStatus> runs = new LinkedHashMap<>(ended);
        active.keySet().forEach(id -> runs.put(id, RunStatus.RUNNING));
        queue.keySet().forEach(id -> runs.put(id, RunStatus.QUEUED));
        cmd.replyTo().tell(runs);
        return this;
    }

    private Behavior<Command> onGetRunState(GetRunState cmd) {
        ActorRef<Trainer.Command> trainer = active.get(cmd.runId());
        if (trainer == null) {
            cmd.replyTo().tell(java.util.Optional.empty());
        } else {
            getContext().ask(Trainer.State.class, trainer, java.time.Duration.ofSeconds(5), Trainer.GetState::new,
                    (state, error) -> new Forward(() -> cmd.replyTo().tell(java.util.Optional.ofNullable(state))));
        }
        return this;
    }

    /** Replies once an ask to a trainer has come back, on the supervisor's own thread. */
    private record Forward(Runnable action) implements Command {
    }

    private Behavior<Command> onForward(Forward f) {
        f.action().run();
        return this;
    }

    private Behavior<Command> onSubscribe(Subscribe cmd) {
        listeners.add(cmd.listener());
        return this;
    }

    private Behavior<Command> onTrainerEnded(TrainerEnded msg) {
        Trainer.Ended e = msg.ended();
        if (e.reason() != null && e.reason().startsWith(Trainer.RECOVERY_FAILED) && e.trainer() != null) {
            Trainer.Command command = firstCommand.get(e.runId());
            boolean training = active.get(e.runId()) == e.trainer();
            retired.add(e.trainer());
            getContext().stop(e.trainer());
            if (command != null && withoutSnapshots.add(e.runId())) {
                getContext().getLog().warn("{}; retrying from the journal alone", e.reason());
                if (training) {
                    active.remove(e.runId());
                }
                ActorRef<Trainer.Command> again = spawn(e.runId(), training, false);
                if (training) {
                    active.put(e.runId(), again);
                }
                again.tell(command);
                return this;
            }
            reject(command, e.runId(), e.reason());
        }
        ended.put(e.runId(), e.status());
        stopFollowers(e.runId(), e.sequenceNr());
        if (e.reason() != null && e.reason().startsWith("cannot recover")) {
            getContext().getLog().error(e.reason());
        }
        listeners.forEach(l -> l.tell(e));
        if (e.trainer() != null) {
            getContext().stop(e.trainer());
        }
        return this;
    }

    /**
     * A trainer stopped: on purpose (it said Ended before), because restarts ran out, or because
     * the journal refused a write (full disk, I/O error). A training trainer that failed gets a
     * recording trainer to journal RunFailed; if that one cannot write either, listeners are told
     * the run failed so no caller waits forever.
     */
    private Behavior<Command> onTrainerTerminated(TrainerTerminated msg) {
        String runId = msg.runId();
        if (retired.remove(msg.trainer())) {
            return this;
        }
        if (!msg.training()) {
            if (!ended.containsKey(runId)) {
                String reason = "the journal refused a write (disk full or I/O error): "
                        + failures.getOrDefault(runId, "see the log");
                ended.put(runId, RunStatus.FAILED);
                listeners.forEach(l -> l.tell(new Trainer.Ended(runId, RunStatus.FAILED, reason, null, 0L, null)));
                stopFollowers(runId, 0L);
            }
            return this;
        }
        active.remove(runId);
        batchOf.remove(runId);
        if (!ended.containsKey(runId)) {
            String reason = "gave up after " + settings.maxRestarts() + " restarts: "
                    + failures.getOrDefault(runId, "unknown error");
            getContext().getLog().error("run {} failed: {}", runId, reason);
            send(runId, spawn(runId, false, true),
                    new Trainer.MarkFailed(reason, getContext().getSystem().ignoreRef()));
        }
        admit();
        return this;
    }

    private Behavior<Command> onBatchTerminated(BatchTerminated msg) {
        batches.remove(msg.batch());
        batchOf.values().removeIf(b -> b.equals(msg.batch()));
        admit();
        return this;
    }

    private static void reject(Trainer.Command command, String runId, String reason) {
        ActorRef<Trainer.Reply> replyTo = command instanceof Trainer.Start c ? c.replyTo()
                : command instanceof Trainer.Pause c ? c.replyTo()
                : command instanceof Trainer.Stop c ? c.replyTo()
                : command instanceof Trainer.MarkFailed c ? c.replyTo()
                : command instanceof Trainer.Record c ? c.replyTo() : null;
        if (replyTo != null) {
            replyTo.tell(new Trainer.Rejected(runId, reason));
        }
    }

    private Behavior<Command> onCatchUp(CatchUp cmd) {
        if (!active.containsKey(cmd.runId())) {
            startDetector(cmd.runId());
            stopFollowers(cmd.runId(), cmd.sequenceNr());
        }
        return this;
    }

    private Behavior<Command> onStopFollowers(StopFollowers cmd) {
        // their DetectorTerminated messages empty the map and answer WhenDetectorsDone
        detectors.values().forEach(getContext()::stop);
        return this;
    }

    private Behavior<Command> onWhenDetectorsDone(WhenDetectorsDone cmd) {
        if (detectors.isEmpty()) {
            cmd.replyTo().tell(0);
        } else {
            waitingForDetectors.add(cmd.replyTo());
        }
        return this;
    }

    private Behavior<Command> onDetectorTerminated(DetectorTerminated msg) {
        detectors.remove(msg.runId());
        if (detectors.isEmpty()) {
            waitingForDetectors.forEach(r -> r.tell(0));
            waitingForDetectors.clear();
        }
        return this;
    }

    /** Followers of a run that ended stop once they have read its journal up to sequenceNr. */
    @SuppressWarnings("unchecked")
    private void stopFollowers(String runId, long sequenceNr) {
        ActorRef<?> d = detectors.get("detect-" + runId);
        if (d != null) {
            ((ActorRef<OnsetDetector.Command>) d).tell(new OnsetDetector.StopAt(sequenceNr));
        }
        ActorRef<?> a = detectors.get("analyze-" + runId);
        if (a != null) {
            ((ActorRef<Analyzer.Command>) a).tell(new Analyzer.StopAt(sequenceNr));
        }
    }

    /** One onset detector and one analyzer per training run; they stop when the run ends. */
    private void startDetector(String runId) {
        String suffix = runId + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        if (alerts != null && !detectors.containsKey("detect-" + runId)) {
            ActorRef<OnsetDetector.Command> d = getContext().spawn(
                    OnsetDetector.create(runId, settings.events(), alerts), "detect-" + suffix);
            getContext().watchWith(d, new DetectorTerminated("detect-" + runId));
            detectors.put("detect-" + runId, d);
        }
        if (analysis != null && alerts != null && !detectors.containsKey("analyze-" + runId)) {
            ActorRef<Analyzer.Command> a = getContext().spawn(
                    Analyzer.create(runId, analysis, settings.events(), alerts), "analyze-" + suffix);
            getContext().watchWith(a, new DetectorTerminated("analyze-" + runId));
            detectors.put("analyze-" + runId, a);
        }
    }

    private void admit() {
        while (!queue.isEmpty() && slotsInUse() < maxConcurrent) {
            java.util.Iterator<Queued> first = queue.values().iterator();
            Queued next = first.next();
            first.remove();
            java.util.List<Queued> members = batchMembers(next);
            ActorRef<BatchTrainer.Command> batch = null;
            if (members.size() > 1) {
                batch = getContext().spawn(BatchTrainer.create(members.stream().map(Queued::runId).toList(),
                        settings, faults), "batch-" + java.util.UUID.randomUUID().toString().substring(0, 8));
                getContext().watchWith(batch, new BatchTerminated(batch));
                batches.add(batch);
                getContext().getLog().info("training {} compatible runs as one batch: {}", members.size(),
                        members.stream().map(Queued::runId).toList());
            }
            for (Queued q : members) {
                if (batch != null) {
                    batchOf.put(q.runId(), batch);
                }
                ActorRef<Trainer.Command> trainer = spawn(q.runId(), true, true);
                active.put(q.runId(), trainer);
                send(q.runId(), trainer, new Trainer.Start(q.spec(), q.replyTo()));
                startDetector(q.runId());
            }
        }
    }

    /** Solo runs and batches each take one slot. */
    private int slotsInUse() {
        int solo = 0;
        for (String runId : active.keySet()) {
            if (!batchOf.containsKey(runId)) {
                solo++;
            }
        }
        return solo + batches.size();
    }

    /**
     * The run itself, plus the queued runs that can be stepped with it as one batch: new runs, and
     * resumed runs whose journal the caller read, with the same {@link #batchKey}.
     */
    private java.util.List<Queued> batchMembers(Queued first) {
        java.util.List<Queued> members = new java.util.ArrayList<>();
        members.add(first);
        String key = first.batchKey();
        if (key == null) {
            return members;
        }
        for (java.util.Iterator<Queued> it = queue.values().iterator(); it.hasNext() && members.size() < settings.maxBatch(); ) {
            Queued q = it.next();
            if (key.equals(q.batchKey())) {
                members.add(q);
                it.remove();
            }
        }
        return members;
    }

    /**
     * Null unless the spec's backend batches and its {@code BatchedTrainingRun.key} is not null
     * (minibatch runs are never batched). Otherwise that key plus the
     * checkpoint the run restarts from (0 for a new run): a batch restores all its members from one
     * checkpoint epoch, so a {@link BatchTrainer} sends the others off to train alone, outside the
     * batch's one slot, and resumes from different checkpoints would overrun --max-concurrent.
     */
    private String batchKey(Journaled run) {
        if (run == null || run.spec() == null || !settings.batchBackends().contains(run.spec().backend().specName())) {
            return null;
        }
        String key = org.grokscope.compute.train.BatchedTrainingRun.key(run.spec());
        return key == null ? null : key + "@" + run.checkpointEpoch();
    }

    private void send(String runId, ActorRef<Trainer.Command> trainer, Trainer.Command command) {
        firstCommand.put(runId, command);
        trainer.tell(command);
    }

    private ActorRef<Trainer.Command> spawn(String runId, boolean train, boolean useSnapshots) {
        String name = (train ? "train-" : "record-") + runId + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        ActorRef<Trainer.Command> ref = getContext().spawn(
                Trainer.create(runId, settings, faults, failures, train, endedAdapter, useSnapshots,
                        train ? batchOf.get(runId) : null), name);
        getContext().watchWith(ref, new TrainerTerminated(runId, train, ref));
        return ref;
    }
}
