package org.grokscope.actors;

import java.time.Duration;
import java.util.function.BiFunction;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.journal.leveldb.javadsl.LeveldbReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.typed.javadsl.ActorFlow;

/**
 * The stream behind the journal followers (onset detector, analyzer): a run's events from the
 * start, live, handed to the follower one at a time (it acks each), and a last message when the
 * stream ends.
 */
final class JournalFollowing {
    private JournalFollowing() {
    }

    static <C> void follow(ActorContext<C> context, String runId, Duration perEvent,
                           BiFunction<EventEnvelope, ActorRef<Done>, C> observed, C ended) {
        LeveldbReadJournal journal = PersistenceQuery.get(context.getSystem())
                .getReadJournalFor(LeveldbReadJournal.class, LeveldbReadJournal.Identifier());
        ActorRef<C> self = context.getSelf();
        journal.eventsByPersistenceId(Trainer.persistenceId(runId).id(), 0L, Long.MAX_VALUE)
                .via(ActorFlow.<EventEnvelope, C, Done>ask(1, self, perEvent, observed::apply))
                .runWith(Sink.ignore(), context.getSystem())
                .whenComplete((done, error) -> self.tell(ended));
    }
}
