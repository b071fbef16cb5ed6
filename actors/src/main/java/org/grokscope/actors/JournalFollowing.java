package org.grokscope.actors;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.journal.leveldb.javadsl.LeveldbReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.typed.javadsl.ActorFlow;
import org.grokscope.protocol.events.DetectorEvent;

/**
 * The stream behind the journal followers (onset detector, analyzer): a run's events from the
 * start, live, handed to the follower one at a time (it acks each), and a last message when the
 * stream ends.
 */
final class JournalFollowing {
    private JournalFollowing() {
    }

    /**
     * @param ownId  the follower's own persistence id, whose journaled findings go to {@code alerts}
     *               before the run is followed (the sink skips those already in its file); null to
     *               skip that
     */
    static <C> void follow(ActorContext<C> context, String runId, String ownId, AlertSink alerts, Duration perEvent,
                           BiFunction<EventEnvelope, ActorRef<Done>, C> observed, C ended) {
        ActorSystem<?> system = context.getSystem();
        ActorRef<C> self = context.getSelf();
        LeveldbReadJournal journal = PersistenceQuery.get(system)
                .getReadJournalFor(LeveldbReadJournal.class, LeveldbReadJournal.Identifier());
        long chunk = system.settings().config().getLong("pekko.persistence.query.journal.leveldb.max-buffer-size");
        CompletionStage<Done> redelivered = ownId == null
                ? CompletableFuture.completedFuture(Done.getInstance())
                : redeliver(journal, system, ownId, 1L, chunk, runId, alerts);
        redelivered.whenComplete((d, failure) -> {
            if (failure != null) {
                system.log().warn("cannot read {} to redeliver its alerts: {}", ownId, failure.toString());
            }
            journal.eventsByPersistenceId(Trainer.persistenceId(runId).id(), 0L, Long.MAX_VALUE)
                    .via(ActorFlow.<EventEnvelope, C, Done>ask(1, self, perEvent, observed::apply))
                    .runWith(Sink.ignore(), system)
                    .whenComplete((done, error) -> self.tell(ended));
        });
    }

    /**
     * Hands the findings in {@code ownId}'s journal to the sink, reading it in bounded ranges of
     * the query buffer's size: one open-ended current query over a journal of buffer + 1 events
     * never completes in Pekko's LevelDB read journal (see RunSystem's reads, which do the same).
     */
    private static CompletionStage<Done> redeliver(LeveldbReadJournal journal, ActorSystem<?> system, String ownId,
                                                   long from, long chunk, String runId, AlertSink alerts) {
        return journal.currentEventsByPersistenceId(ownId, from, from + chunk - 1).runWith(Sink.seq(), system)
                .thenCompose(envelopes -> {
                    if (envelopes.isEmpty()) {
                        return CompletableFuture.completedFuture(Done.getInstance());
                    }
                    for (EventEnvelope e : envelopes) {
                        if (e.event() instanceof DetectorEvent finding) {
                            alerts.publish(runId, finding);
                        }
                    }
                    return redeliver(journal, system, ownId, from + chunk, chunk, runId, alerts);
                });
    }
}
