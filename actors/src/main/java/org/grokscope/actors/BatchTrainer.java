package org.grokscope.actors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.grokscope.compute.backend.TrainingEngine;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.OptimizerState;
import org.grokscope.compute.train.BatchedTrainingRun;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.events.CheckpointSaved;
import org.grokscope.protocol.events.TrainingSessionStarted;

/**
 * Trains a group of compatible runs in lockstep on one batched engine, so one kernel launch
 * steps them all. The runs stay separate event-sourced {@link Trainer}s that journal their own
 * epochs: each asks the group for its next chunk ({@link Ready}) instead of training itself, and
 * the group answers every member once all have asked. A member that pauses, stops, fails or
 * completes leaves; the others go on in a smaller batch. A member whose journal is at a different
 * checkpoint than the rest (after a crash) is told to train alone. Training is deterministic per
 * run, so a run's epochs do not depend on which group, if any, computed them.
 */
public final class BatchTrainer extends AbstractBehavior<BatchTrainer.Command> {

    public sealed interface Command {
    }

    /**
     * A member asks for its next chunk. {@code journaledEpoch} and {@code checkpoint} are what its
     * journal holds, used when the group (re)builds its batch.
     */
    public record Ready(String runId, RunSpec spec, int journaledEpoch, CheckpointSaved checkpoint,
                        ActorRef<Trainer.Command> trainer) implements Command {
    }

    /** A member is done with the group (ended, or stopping). */
    public record Leave(String runId) implements Command {
    }

    private record ChunkDone(Map<String, Trainer.Chunk> chunks, Map<String, Integer> handedOver,
                             Map<String, Integer> checkpointed, boolean failed) implements Command {
    }

    private record ChunkFailed(Throwable error) implements Command {
    }

    public static Behavior<Command> create(List<String> members, TrainerSettings settings, FaultHook faults) {
        return Behaviors.setup(ctx -> new BatchTrainer(ctx, members, settings, faults));
    }

    private final TrainerSettings settings;
    private final FaultHook faults;
    private final Executor trainingExecutor;
    /** Members still in the group, with their latest unanswered request (null: none pending). */
    private final Map<String, Ready> members = new LinkedHashMap<>();
    /** Epochs each member's trainer has been handed (journaled or being journaled). */
    private final Map<String, Integer> handedOver = new HashMap<>();
    private final Map<String, Integer> checkpointHandedOver = new HashMap<>();
    /** Members of a newly opened batch: each journals where and by what code it now trains. */
    private final Map<String, TrainingSessionStarted> sessionsToJournal = new HashMap<>();
    /** Each member's trainer, as its last request named it. */
    private final Map<String, ActorRef<Trainer.Command>> trainers = new HashMap<>();
    private BatchedTrainingRun session;
    /** Member run ids in the session's member order. */
    private List<String> order = List.of();
    private boolean inFlight;
    private boolean rebuild;

    private BatchTrainer(ActorContext<Command> context, List<String> members, TrainerSettings settings,
                         FaultHook faults) {
        super(context);
        this.settings = settings;
        this.faults = faults;
        this.trainingExecutor = context.getSystem().dispatchers()
                .lookup(DispatcherSelector.fromConfig("grokscope.training-dispatcher"));
        members.forEach(id -> this.members.put(id, null));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Ready.class, this::onReady)
                .onMessage(Leave.class, this::onLeave)
                .onMessage(ChunkDone.class, this::onChunkDone)
                .onMessage(ChunkFailed.class, this::onChunkFailed)
                .onSignal(PostStop.class, signal -> onPostStop())
                .build();
    }

    private Behavior<Command> onReady(Ready ready) {
        if (!members.containsKey(ready.runId())) {
            ready.trainer().tell(new Trainer.TrainAlone());
            return this;
        }
        members.put(ready.runId(), ready);
        return schedule();
    }

    private Behavior<Command> onLeave(Leave leave) {
        if (members.containsKey(leave.runId())) {
            members.remove(leave.runId());
            rebuild = true;
        }
        return schedule();
    }

    private Behavior<Command> onChunkDone(ChunkDone done) {
        inFlight = false;
        handedOver.putAll(done.handedOver());
        checkpointHandedOver.putAll(done.checkpointed());
        if (done.failed()) {
            // the members journal what was computed, then restart from their journals; so does the batch
            closeSession();
        }
        done.chunks().forEach((runId, chunk) -> {
            if (members.containsKey(runId)) {
                trainerOf(runId).tell(new Trainer.BatchChunkDone(chunk));
            }
        });
        return schedule();
    }

    private Behavior<Command> onChunkFailed(ChunkFailed failed) {
        inFlight = false;
        getContext().getLog().warn("batch of {} runs failed: {}; members restart from their checkpoints",
                order.size(), String.valueOf(failed.error()));
        for (String runId : order) {
            if (members.containsKey(runId)) {
                trainerOf(runId).tell(new Trainer.BatchChunkFailed(failed.error()));
            }
        }
        closeSession();
        return schedule();
    }

    private ActorRef<Trainer.Command> trainerOf(String runId) {
        return trainers.get(runId);
    }

    /** Starts the next chunk once every member has asked; stops when no member is left. */
    private Behavior<Command> schedule() {
        if (inFlight) {
            return this;
        }
        if (members.isEmpty()) {
            return Behaviors.stopped();
        }
        if (members.values().stream().anyMatch(r -> r == null)) {
            return this;
        }
        members.values().forEach(r -> trainers.put(r.runId(), r.trainer()));
        if (session == null) {
            open();
        } else if (rebuild) {
            shrink();
        }
        rebuild = false;
        if (session == null) {
            return members.isEmpty() ? Behaviors.stopped() : this;
        }
        for (String runId : order) {
            members.put(runId, null);
        }
        inFlight = true;
        BatchedTrainingRun run = session;
        List<String> ids = List.copyOf(order);
        Map<String, Integer> handed = new HashMap<>(handedOver);
        Map<String, Integer> checkpointed = new HashMap<>(checkpointHandedOver);
        Map<String, TrainingSessionStarted> opened = new HashMap<>(sessionsToJournal);
        sessionsToJournal.clear();
        CompletableFuture<ChunkDone> chunk = CompletableFuture.supplyAsync(
                () -> runChunk(run, ids, handed, checkpointed, opened), trainingExecutor);
        getContext().pipeToSelf(chunk, (result, error) -> error == null ? result
                : new ChunkFailed(error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error));
        return this;
    }

    /**
     * Builds the batch from the members' journals: the largest set of members whose last
     * checkpoint is at the same epoch trains together; the others train alone.
     */
    private void open() {
        Map<Integer, List<Ready>> byCheckpoint = new TreeMap<>();
        for (Ready r : members.values()) {
            int at = r.checkpoint() == null ? 0 : r.checkpoint().epoch();
            byCheckpoint.computeIfAbsent(at, k -> new ArrayList<>()).add(r);
        }
        List<Ready> chosen = byCheckpoint.values().stream().max((a, b) -> Integer.compare(a.size(), b.size()))
                .orElseThrow();
        for (Ready r : List.copyOf(members.values())) {
            if (!chosen.contains(r)) {
                members.remove(r.runId());
                r.trainer().tell(new Trainer.TrainAlone());
            }
        }
        if (chosen.size() == 1) {
            // a batch of one gains nothing over the trainer's own engine
            members.clear();
            chosen.get(0).trainer().tell(new Trainer.TrainAlone());
            return;
        }
        List<RunSpec> specs = chosen.stream().map(Ready::spec).toList();
        session = BatchedTrainingRun.create(specs, settings.compute());
        order = chosen.stream().map(Ready::runId).toList();
        CheckpointSaved first = chosen.get(0).checkpoint();
        if (first != null) {
            List<Weights> weights = new ArrayList<>();
            List<OptimizerState> states = new ArrayList<>();
            for (Ready r : chosen) {
                weights.add(Checkpoints.weights(r.spec(), r.checkpoint()));
                states.add(Checkpoints.optimizerState(r.checkpoint()));
            }
            session.restore(first.epoch(), weights, states);
        }
        for (Ready r : chosen) {
            handedOver.put(r.runId(), r.journaledEpoch());
            checkpointHandedOver.put(r.runId(), r.checkpoint() == null ? 0 : r.checkpoint().epoch());
            sessionsToJournal.put(r.runId(), Trainer.sessionStarted(settings, session.backend(), r.journaledEpoch()));
        }
        getContext().getLog().info("training {} runs in one batch on {}", order.size(), session.device());
    }

    /** Continues the members that are left in a new, smaller batch at the same epoch. */
    private void shrink() {
        List<String> kept = order.stream().filter(members::containsKey).toList();
        for (String runId : List.copyOf(members.keySet())) {
            if (!order.contains(runId)) {
                // joined after the batch was built: its journal is elsewhere in time
                members.remove(runId);
                trainerOf(runId).tell(new Trainer.TrainAlone());
            }
        }
        if (kept.size() < 2) {
            closeSession();
            for (String runId : kept) {
                members.remove(runId);
                trainerOf(runId).tell(new Trainer.TrainAlone());
            }
            return;
        }
        int epoch = session.epoch();
        List<RunSpec> specs = new ArrayList<>();
        List<Weights> weights = new ArrayList<>();
        List<OptimizerState> states = new ArrayList<>();
        for (String runId : kept) {
            int r = order.indexOf(runId);
            TrainingEngine m = session.member(r);
            specs.add(session.specs().get(r));
            weights.add(m.weights());
            states.add(m.optimizerState());
        }
        closeSession();
        session = BatchedTrainingRun.create(specs, settings.compute());
        session.restore(epoch, weights, states);
        order = kept;
    }

    /** Off the actor: epochs of every member until a checkpoint falls due, the end, or the chunk's time is up. */
    private ChunkDone runChunk(BatchedTrainingRun run, List<String> ids, Map<String, Integer> handed,
                               Map<String, Integer> checkpointed, Map<String, TrainingSessionStarted> opened) {
        RunSpec schedule = run.specs().get(0);
        long deadline = System.nanoTime() + settings.chunkDuration().toNanos();
        Map<String, List<EpochMetrics>> fresh = new LinkedHashMap<>();
        ids.forEach(id -> fresh.put(id, new ArrayList<>()));
        Map<String, CheckpointSaved> checkpoints = new HashMap<>();
        Map<String, Boolean> diverged = new HashMap<>();
        Throwable error = null;
        while (run.epoch() < schedule.epochs()) {
            List<EpochMetrics> metrics;
            try {
                for (String id : ids) {
                    faults.beforeEpoch(id, run.epoch() + 1);
                }
                metrics = run.runEpoch();
            } catch (RuntimeException e) {
                // the epochs computed so far are valid: the members journal them, then restart
                error = e;
                break;
            }
            boolean anyDiverged = false;
            for (int r = 0; r < ids.size(); r++) {
                EpochMetrics m = metrics.get(r);
                String id = ids.get(r);
                if (m.epoch() > handed.get(id)) {
                    fresh.get(id).add(m);
                }
                if (org.grokscope.compute.train.Divergence.of(m)) {
                    diverged.put(id, true);
                    anyDiverged = true;
                }
            }
            int e = run.epoch();
            if (Checkpoints.due(schedule, e)) {
                // the members that did not diverge take the checkpoint due now, as each would alone
                for (int r = 0; r < ids.size(); r++) {
                    String id = ids.get(r);
                    if (!diverged.containsKey(id) && e > checkpointed.get(id)) {
                        checkpoints.put(id, Checkpoints.of(run.member(r), e));
                        checkpointed.put(id, e);
                    }
                }
                if (!checkpoints.isEmpty()) {
                    break;
                }
            }
            if (anyDiverged) {
                break;
            }
            // as in Trainer: a catch-up from an older checkpoint must not hold a Pause back
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        Map<String, Trainer.Chunk> chunks = new LinkedHashMap<>();
        Map<String, Integer> newHanded = new HashMap<>();
        boolean finished = error == null && run.epoch() == schedule.epochs();
        for (String id : ids) {
            List<EpochMetrics> f = fresh.get(id);
            if (!f.isEmpty()) {
                newHanded.put(id, f.get(f.size() - 1).epoch());
            }
            boolean d = diverged.getOrDefault(id, false);
            chunks.put(id, new Trainer.Chunk(f, checkpoints.get(id), d, finished && !d, error, opened.get(id)));
        }
        return new ChunkDone(chunks, newHanded, checkpointed, error != null);
    }

    private void closeSession() {
        if (session != null) {
            session.close();
            session = null;
            order = List.of();
        }
    }

    private Behavior<Command> onPostStop() {
        closeSession();
        return this;
    }
}
