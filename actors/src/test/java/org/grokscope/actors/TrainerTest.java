package org.grokscope.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunStatus;
import org.grokscope.protocol.events.CheckpointSaved;
import org.grokscope.protocol.events.EpochCompleted;
import org.grokscope.protocol.events.RunCompleted;
import org.grokscope.protocol.events.RunEvent;
import org.grokscope.protocol.events.RunPaused;
import org.grokscope.protocol.events.RunResumed;
import org.grokscope.protocol.events.RunStarted;
import org.grokscope.protocol.events.RunStopped;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Trainer's commands one by one on the in-memory journal of Pekko's testkit: reply, events
 * and state per command, recovery by restart, with events and state round-tripped through the Kryo
 * serializer and compared (commands carry actor refs and stay local, so they are not verified).
 */
class TrainerTest {
    private static ActorTestKit testKit;
    private static TrainerSettings settings;

    @BeforeAll
    static void start() {
        Config config = EventSourcedBehaviorTestKit.config()
                .withFallback(ConfigFactory.parseString(
                        "grokscope.serialization.registrations += { id = 200, class = \"org.grokscope.actors.Trainer$State\" }\n"
                                + "grokscope.serialization.registrations += { id = 201, class = \"org.grokscope.compute.train.GrokProgress\" }"))
                .withFallback(ConfigFactory.load()).resolve()
                .withValue("grokscope.data-dir", com.typesafe.config.ConfigValueFactory.fromAnyRef(
                        System.getProperty("java.io.tmpdir")));
        testKit = ActorTestKit.create(config);
        settings = TrainerSettings.create(config, ComputeSettings.create(config).withThreads(1), "test");
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private EventSourcedBehaviorTestKit<Trainer.Command, RunEvent, Trainer.State> kit(String runId, boolean train) {
        return EventSourcedBehaviorTestKit.create(testKit.system(),
                Trainer.create(runId, settings, FaultHook.NONE, new ConcurrentHashMap<>(), train,
                        testKit.system().ignoreRef()),
                EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyCommands(false));
    }

    @Test
    void startPauseResumeStopWithoutTraining() {
        var kit = kit("control", false);
        RunSpec spec = Runs.small("add", 1, 10, 5);

        var started = kit.<Trainer.Reply>runCommand(r -> new Trainer.Start(spec, r));
        assertEquals(new Trainer.Accepted("control", RunStatus.RUNNING, 0), started.reply());
        RunStarted event = started.eventOfType(RunStarted.class);
        assertEquals(spec, event.spec());
        assertEquals("test", event.codeVersion());
        assertEquals(RunStatus.RUNNING, started.state().status());

        var paused = kit.<Trainer.Reply>runCommand(Trainer.Pause::new);
        assertEquals(new RunPaused(0), paused.event());
        assertEquals(RunStatus.PAUSED, paused.state().status());
        assertEquals(new Trainer.Accepted("control", RunStatus.PAUSED, 0), paused.reply());

        var recovered = kit.restart();
        assertEquals(RunStatus.PAUSED, recovered.state().status());
        assertEquals(spec, recovered.state().spec());

        var resumed = kit.<Trainer.Reply>runCommand(r -> new Trainer.Start(null, r));
        assertEquals(new RunResumed(0), resumed.event());
        assertEquals(RunStatus.RUNNING, resumed.state().status());

        var stopped = kit.<Trainer.Reply>runCommand(Trainer.Stop::new);
        assertEquals(new RunStopped(0), stopped.event());
        assertEquals(RunStatus.STOPPED, stopped.state().status());

        kit.restart();
        var again = kit.<Trainer.Reply>runCommand(r -> new Trainer.Start(null, r));
        assertTrue(again.hasNoEvents(), "a stopped run cannot be restarted");
        assertInstanceOf(Trainer.Rejected.class, again.reply());
    }

    @Test
    void unknownRunWritesNothing() {
        var kit = kit("ghost", false);
        var result = kit.<Trainer.Reply>runCommand(r -> new Trainer.Start(null, r));
        assertTrue(result.hasNoEvents());
        assertInstanceOf(Trainer.Rejected.class, result.reply());
    }

    @Test
    void trainsToCompletionAndRecoversFromItsSnapshot() throws Exception {
        var kit = kit("trained", true);
        RunSpec spec = Runs.small("add", 2, 40, 15);
        kit.<Trainer.Reply>runCommand(r -> new Trainer.Start(spec, r));
        // training continues off the actor; the trainer stops itself once RunCompleted is journaled
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (kit.getState().status() == RunStatus.COMPLETED) {
                    break;
                }
            } catch (RuntimeException | AssertionError stoppedAlready) {
                break;
            }
            Thread.sleep(100);
        }
        Trainer.State state = kit.restart().state();
        assertNotNull(state);
        assertEquals(RunStatus.COMPLETED, state.status());
        assertEquals(40, state.epoch());
        assertEquals(40, state.checkpoint().epoch());
        assertTrue(state.grok().tFit() > 0 || state.last().trainAccuracy() < 0.99);
        List<RunEvent> events = kit.persistenceTestKit().persistedInStorage("run-trained").stream()
                .map(e -> (RunEvent) e).toList();
        long epochs = events.stream().filter(e -> e instanceof EpochCompleted).count();
        assertEquals(40, epochs, "one EpochCompleted per epoch");
        List<Integer> checkpoints = events.stream().filter(e -> e instanceof CheckpointSaved)
                .map(e -> ((CheckpointSaved) e).epoch()).toList();
        assertEquals(List.of(15, 30, 40), checkpoints);
        assertInstanceOf(RunCompleted.class, events.get(events.size() - 1));
        // provenance: one session (no restart), journaled before the first epoch it computed
        List<org.grokscope.protocol.events.TrainingSessionStarted> sessions = events.stream()
                .filter(e -> e instanceof org.grokscope.protocol.events.TrainingSessionStarted)
                .map(e -> (org.grokscope.protocol.events.TrainingSessionStarted) e).toList();
        assertEquals(1, sessions.size(), sessions.toString());
        assertEquals(sessions.get(0), events.get(1), "right after RunStarted");
        assertEquals(0, sessions.get(0).epoch());
        assertEquals("test", sessions.get(0).codeVersion());
        assertEquals("cpu", sessions.get(0).backend(), "the spec asks for cpu");
        assertEquals(settings.compute().lanes(), sessions.get(0).lanes());
        assertEquals(settings.compute().threads(), sessions.get(0).threads());
        assertTrue(Runs.reference(spec, 1).sameBits(
                org.grokscope.compute.model.Weights.fromPaperLayout(org.grokscope.compute.model.ModelShape.of(spec),
                        state.checkpoint().w1(), state.checkpoint().w2())));
    }
}
