package org.grokscope.actors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.grokscope.compute.analysis.CheckpointAnalysis;
import org.grokscope.compute.train.EventSettings;
import org.grokscope.protocol.events.AnalysisRecorded;
import org.grokscope.protocol.events.AnalyzerEvent;
import org.grokscope.protocol.events.PrecursorDetected;
import org.grokscope.protocol.events.CheckpointSaved;
import org.grokscope.protocol.events.EpochCompleted;
import org.grokscope.protocol.events.RunCompleted;
import org.grokscope.protocol.events.RunEvent;
import org.grokscope.protocol.events.RunFailed;
import org.grokscope.protocol.events.RunStopped;
import org.grokscope.protocol.serialization.KryoSerializable;

/**
 * Follows one run's journal (persistence query, live) and, for every CheckpointSaved, computes
 * the configured analyzers off the actor and journals the results as AnalysisRecorded under
 * {@code analysis-<run>}. The state remembers the last analyzed epoch per analyzer set, version
 * and parameters, so restarts never recompute or duplicate a result; a new version or parameter
 * set starts from the first checkpoint. It also raises the IPR-acceleration precursor, once, and
 * only before test accuracy has reached the grok threshold. Stops when the run ends, or, for a
 * pause, once it has read up to the pause the supervisor tells it about.
 */
public final class Analyzer extends EventSourcedBehavior<Analyzer.Command, AnalyzerEvent, Analyzer.State> {

    // ---- Command ----

    public sealed interface Command {
    }

    private record Observed(long sequenceNr, RunEvent event, ActorRef<Done> ack) implements Command {
    }

    /**
     * The run was paused at this sequence number: stop once it has been read. A RunPaused in
     * the history is no reason to stop, since the run may have been resumed since.
     */
    public record StopAt(long sequenceNr) implements Command {
    }

    private record Analyzed(AnalysisRecorded result, ActorRef<Done> ack) implements Command {
    }

    private record StreamEnded() implements Command {
    }

    // ---- State ----

    /**
     * The last epoch analyzed with the current key (analyzers, version, parameters), and the IPR
     * of u at the first and the last two checkpoints (with their epochs) for the acceleration
     * precursor. iprAlerted outlives a key change: the precursor is raised once per run, and
     * recomputing with new parameters is no new evidence.
     */
    public record State(String key, int lastEpoch, double firstIpr, int previousIprEpoch, double previousIpr,
                        int lastIprEpoch, double lastIpr, boolean iprAlerted) implements KryoSerializable {
    }

    // ---- create ----

    public static Behavior<Command> create(String runId, CheckpointAnalysis analysis, EventSettings events,
                                           AlertSink alerts) {
        return Behaviors.setup(ctx -> new Analyzer(ctx, runId, analysis, events, alerts));
    }

    public static PersistenceId persistenceId(String runId) {
        return PersistenceId.ofUniqueId("analysis-" + runId);
    }

    private final ActorContext<Command> context;
    /** Sequence number of the last run event read, and where to stop (a pause), if known. */
    private long read;
    private long stopAt = Long.MAX_VALUE;
    private final String runId;
    private final CheckpointAnalysis analysis;
    private final String key;
    private final Executor executor;

    private final EventSettings events;
    private final AlertSink alerts;
    /**
     * t_grok and the streak of evaluations at the grok threshold, over the run's epochs read so
     * far; a checkpoint is analysed before the next event is read, so at its result this is the
     * state at its epoch.
     */
    private org.grokscope.compute.train.GrokProgress grok = org.grokscope.compute.train.GrokProgress.START;

    private Analyzer(ActorContext<Command> context, String runId, CheckpointAnalysis analysis, EventSettings events,
                     AlertSink alerts) {
        super(persistenceId(runId));
        this.events = events;
        this.alerts = alerts;
        this.context = context;
        this.runId = runId;
        this.analysis = analysis;
        this.key = String.join(",", analysis.analyzers()) + "@" + CheckpointAnalysis.VERSION + " "
                + analysis.parameters();
        this.executor = context.getSystem().dispatchers()
                .lookup(DispatcherSelector.fromConfig("grokscope.training-dispatcher"));
    }

    @Override
    public State emptyState() {
        return new State(key, 0, Double.NaN, 0, Double.NaN, 0, Double.NaN, false);
    }

    @Override
    public CommandHandler<Command, AnalyzerEvent, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Observed.class, this::onObserved)
                .onCommand(Analyzed.class, this::onAnalyzed)
                .onCommand(StreamEnded.class, (state, cmd) -> Effect().stop())
                .onCommand(StopAt.class, (state, cmd) -> {
                    stopAt = cmd.sequenceNr();
                    return read >= stopAt ? Effect().stop() : Effect().none();
                })
                .build();
    }

    private Effect<AnalyzerEvent, State> onAnalyzed(State state, Analyzed analyzed) {
        AnalysisRecorded result = analyzed.result();
        double ipr = iprOf(result);
        List<AnalyzerEvent> toJournal = new ArrayList<>();
        toJournal.add(result);
        PrecursorDetected precursor = null;
        // a precursor comes before the jump: once test accuracy has reached the grok threshold at
        // the checkpoint's epoch, a steep IPR rise is grokking itself, not a sign of it
        boolean beforeTheJump = grok.tGrok() < 0 && grok.streak() == 0;
        if (beforeTheJump && !state.iprAlerted() && !Double.isNaN(ipr) && !Double.isNaN(state.previousIpr())
                && state.previousIprEpoch() < state.lastIprEpoch() && state.lastIprEpoch() < result.epoch()
                && events.iprAccelerates(state.firstIpr(), state.previousIprEpoch(), state.previousIpr(),
                        state.lastIprEpoch(), state.lastIpr(), result.epoch(), ipr)) {
            precursor = new PrecursorDetected(runId, PrecursorDetected.IPR_ACCELERATION, result.epoch());
            toJournal.add(precursor);
        }
        PrecursorDetected alert = precursor;
        return Effect().persist(toJournal).thenRun(s -> {
            if (alert != null) {
                alerts.publish(runId, alert);
            }
            maybeStop();
        }).thenReply(analyzed.ack(), s -> Done.getInstance());
    }

    private static double iprOf(AnalysisRecorded r) {
        for (int i = 0; i < r.names().length; i++) {
            if (r.names()[i].equals("ipr_u")) {
                return r.values()[i];
            }
        }
        return Double.NaN;
    }

    private Effect<AnalyzerEvent, State> onObserved(State state, Observed observed) {
        RunEvent event = observed.event();
        read = observed.sequenceNr();
        boolean current = state.key().equals(key);
        if (event instanceof EpochCompleted epoch) {
            grok = grok.next(epoch.metrics(), events);
        }
        if (event instanceof CheckpointSaved c && (!current || c.epoch() > state.lastEpoch())) {
            // the numerics run off the actor; the ack waits for the result to be journaled
            ActorRef<Command> self = context.getSelf();
            CompletableFuture.supplyAsync(() -> analyze(c), executor)
                    .thenAccept(result -> self.tell(new Analyzed(result, observed.ack())));
            return Effect().none();
        }
        if (event instanceof RunCompleted || event instanceof RunFailed || event instanceof RunStopped
                || read >= stopAt) {
            observed.ack().tell(Done.getInstance());
            return Effect().stop();
        }
        return Effect().none().thenRun(s -> maybeStop()).thenReply(observed.ack(), s -> Done.getInstance());
    }

    private AnalysisRecorded analyze(CheckpointSaved c) {
        Map<String, Object> row = analysis.analyze(c.p(), c.width(), c.w1(), c.w2());
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        CheckpointAnalysis.flatten(row, names, values);
        return new AnalysisRecorded(runId, String.join(",", analysis.analyzers()), CheckpointAnalysis.VERSION,
                analysis.parameters(), c.epoch(), names.toArray(String[]::new),
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Override
    public EventHandler<State, AnalyzerEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(AnalysisRecorded.class, (s, e) -> {
                    String k = e.analyzers() + "@" + e.version() + " " + e.parameters();
                    boolean same = k.equals(s.key());
                    double ipr = iprOf(e);
                    double first = same && !Double.isNaN(s.firstIpr()) ? s.firstIpr() : ipr;
                    return new State(k, same ? Math.max(s.lastEpoch(), e.epoch()) : e.epoch(), first,
                            same ? s.lastIprEpoch() : 0, same ? s.lastIpr() : Double.NaN, e.epoch(), ipr,
                            s.iprAlerted());
                })
                .onEvent(PrecursorDetected.class, (s, e) -> new State(s.key(), s.lastEpoch(), s.firstIpr(),
                        s.previousIprEpoch(), s.previousIpr(), s.lastIprEpoch(), s.lastIpr(), true))
                .build();
    }

    /** After the event at the pause position has been handled, stop. */
    private void maybeStop() {
        if (read >= stopAt) {
            context.getSelf().tell(new StopAt(stopAt));
        }
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> follow(state.iprAlerted())).build();
    }

    /** As the onset detector's: a precursor journaled before a crash but never alerted is delivered first. */
    private void follow(boolean redeliver) {
        JournalFollowing.follow(context, runId, redeliver ? persistenceId(runId).id() : null, alerts,
                context.getSystem().settings().config()
                        .getDuration("grokscope.supervisor.follower-event-timeout.analyzer"),
                (envelope, ack) -> new Observed(envelope.sequenceNr(), (RunEvent) envelope.event(), ack), new StreamEnded());
    }
}
