package org.grokscope.actors;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.grokscope.compute.train.EventSettings;
import org.grokscope.compute.train.GrokDetector;
import org.grokscope.protocol.events.DetectorEvent;
import org.grokscope.protocol.events.EpochCompleted;
import org.grokscope.protocol.events.GrokkingDetected;
import org.grokscope.protocol.events.PrecursorDetected;
import org.grokscope.protocol.events.RunCompleted;
import org.grokscope.protocol.events.RunEvent;
import org.grokscope.protocol.events.RunFailed;
import org.grokscope.protocol.events.RunStarted;
import org.grokscope.protocol.events.RunStopped;
import org.grokscope.protocol.serialization.KryoSerializable;

/**
 * Follows one run's journal through persistence query (live) and journals, once each, the
 * grokking events it finds: GrokkingDetected(t_fit, t_onset, t_grok) and the test-loss-peak
 * precursor, each also published as an alert. The detector's own numbers are recomputed from the
 * run's events on every start (cheap); only which findings were reported is journaled, so a
 * restart never loses or repeats an alert. Stops when the run completes, fails or stops, or, for
 * a pause, once it has read up to the pause the supervisor tells it about.
 */
public final class OnsetDetector extends EventSourcedBehavior<OnsetDetector.Command, DetectorEvent,
        OnsetDetector.State> {

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

    private record StreamEnded() implements Command {
    }

    // ---- State ----

    /** Which findings are already journaled (and alerted). */
    public record State(boolean grokReported, boolean peakReported) implements KryoSerializable {
    }

    // ---- create ----

    public static Behavior<Command> create(String runId, EventSettings settings, AlertSink alerts) {
        return Behaviors.setup(ctx -> new OnsetDetector(ctx, runId, settings, alerts));
    }

    public static PersistenceId persistenceId(String runId) {
        return PersistenceId.ofUniqueId("detector-" + runId);
    }

    private final ActorContext<Command> context;
    /** Sequence number of the last run event read, and where to stop (a pause), if known. */
    private long read;
    private long stopAt = Long.MAX_VALUE;
    private final String runId;
    private final EventSettings settings;
    private final AlertSink alerts;
    private GrokDetector detector;

    private OnsetDetector(ActorContext<Command> context, String runId, EventSettings settings, AlertSink alerts) {
        super(persistenceId(runId));
        this.context = context;
        this.runId = runId;
        this.settings = settings;
        this.alerts = alerts;
    }

    @Override
    public State emptyState() {
        return new State(false, false);
    }

    @Override
    public CommandHandler<Command, DetectorEvent, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Observed.class, this::onObserved)
                .onCommand(StreamEnded.class, (state, cmd) -> Effect().stop())
                .onCommand(StopAt.class, (state, cmd) -> {
                    stopAt = cmd.sequenceNr();
                    return read >= stopAt ? Effect().stop() : Effect().none();
                })
                .build();
    }

    private Effect<DetectorEvent, State> onObserved(State state, Observed observed) {
        RunEvent event = observed.event();
        read = observed.sequenceNr();
        if (event instanceof RunStarted started) {
            detector = GrokDetector.start(started.spec().p());
        } else if (event instanceof EpochCompleted epoch && detector != null) {
            detector = detector.next(epoch.metrics(), settings);
            List<DetectorEvent> found = findings(runId, state, detector);
            if (!found.isEmpty()) {
                return Effect().persist(found).thenRun(s -> found.forEach(this::alert)).thenRun(s -> maybeStop())
                        .thenReply(observed.ack(), s -> Done.getInstance());
            }
        }
        if (event instanceof RunCompleted || event instanceof RunFailed || event instanceof RunStopped
                || read >= stopAt) {
            observed.ack().tell(Done.getInstance());
            return Effect().stop();
        }
        return Effect().none().thenRun(s -> maybeStop()).thenReply(observed.ack(), s -> Done.getInstance());
    }

    /**
     * What to journal after an epoch: each finding the detector now knows and the state has not
     * recorded. Both can first be known at the same epoch (the last one, say), so they are
     * journaled together: no later epoch may come to report the second.
     */
    static List<DetectorEvent> findings(String runId, State state, GrokDetector detector) {
        List<DetectorEvent> found = new ArrayList<>();
        if (!state.peakReported() && detector.lossPeak() > 0) {
            found.add(new PrecursorDetected(runId, PrecursorDetected.TEST_LOSS_PEAK, detector.lossPeak()));
        }
        if (!state.grokReported() && detector.tOnset() > 0) {
            found.add(new GrokkingDetected(runId, detector.tFit(), detector.tOnset(), detector.tGrok()));
        }
        return found;
    }

    private void alert(DetectorEvent found) {
        alerts.publish(runId, found);
    }

    @Override
    public EventHandler<State, DetectorEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(GrokkingDetected.class, (s, e) -> new State(true, s.peakReported()))
                .onEvent(PrecursorDetected.class, (s, e) -> new State(s.grokReported(), true))
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
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> follow(state.grokReported() || state.peakReported()))
                .build();
    }

    /**
     * Reads the run's journal from the start and keeps following it; one event at a time. First,
     * if it has journaled findings, hands them to the alert sink, which delivers any whose line a
     * crash kept out of the alerts file.
     */
    private void follow(boolean redeliver) {
        JournalFollowing.follow(context, runId, redeliver ? persistenceId(runId).id() : null, alerts,
                context.getSystem().settings().config()
                        .getDuration("grokscope.supervisor.follower-event-timeout.detector"),
                (envelope, ack) -> new Observed(envelope.sequenceNr(), (RunEvent) envelope.event(), ack), new StreamEnded());
    }
}
