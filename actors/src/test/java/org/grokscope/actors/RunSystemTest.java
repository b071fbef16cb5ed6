package org.grokscope.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run through supervisor, trainer and LevelDB journal ends with the weights of a plain run. */
class RunSystemTest {
    @TempDir
    Path dir;

    @Test
    void journaledRunMatchesAnUninterruptedOne() throws Exception {
        RunSpec spec = Runs.small("add", 3, 120, 25);
        try (RunSystem node = Runs.open(dir, 1, FaultHook.NONE)) {
            List<Trainer.Ended> ended = Runs.startAndAwait(node, List.of("a1"), List.of(spec), Duration.ofSeconds(60));
            assertEquals(RunStatus.COMPLETED, ended.get(0).status());
            RunSummary s = node.summary("a1");
            assertEquals(RunStatus.COMPLETED, s.status());
            assertEquals(120, s.epoch());
            assertEquals(120, s.epochEvents());
            assertTrue(s.contiguous());
            assertEquals(120, s.lastCheckpoint().epoch());
            assertTrue(Runs.checkpointWeights(s).sameBits(Runs.reference(spec, node.maxConcurrent() > 1 ? 1 : 2)));
        }
    }

    @Test
    void recordedRunIsCompletedAndItsIdCannotBeReused() {
        RunSpec spec = org.grokscope.compute.analytic.AnalyticRun.analyticSpec(Runs.small("add", 3, 120, 25));
        org.grokscope.compute.analytic.AnalyticRun run = org.grokscope.compute.analytic.AnalyticRun.create(spec,
                org.grokscope.compute.analytic.AnalyticSettings.create(com.typesafe.config.ConfigFactory.load()),
                org.grokscope.compute.ComputeSettings.create(com.typesafe.config.ConfigFactory.load()));
        float[] none = new float[0];
        org.grokscope.protocol.events.CheckpointSaved cp = new org.grokscope.protocol.events.CheckpointSaved(1,
                spec.p(), spec.width(), run.weights().w1(), run.weights().w2(),
                new org.grokscope.protocol.events.OptimizerCheckpoint(0, none, none, none, none));
        try (RunSystem node = Runs.open(dir, 1, FaultHook.NONE)) {
            assertEquals(null, node.recordCompleted("ana", run.spec(), run.metrics(), cp));
            RunSummary s = node.summary("ana");
            assertEquals(RunStatus.COMPLETED, s.status());
            assertEquals(org.grokscope.protocol.OptimizerKind.ANALYTIC, s.spec().optimizer().kind());
            assertEquals(1, s.epochEvents());
            assertTrue(s.contiguous());
            assertEquals(cp, s.lastCheckpoint());
            assertEquals(run.metrics(), s.last());
            assertEquals("run ana already exists", node.recordCompleted("ana", run.spec(), run.metrics(), cp));
            assertEquals(4, node.events("ana").size(), "RunStarted, EpochCompleted, CheckpointSaved, RunCompleted");
            // a recorded run never had followers, like a run whose process died before they read
            // its last events: catching up analyses its checkpoint once, and only once
            assertEquals(0, node.analyses("ana").size());
            assertTrue(node.catchUp("ana") >= 1);
            assertEquals(1, node.analyses("ana").size());
            assertEquals(cp.epoch(), node.analyses("ana").get(0).epoch());
            assertEquals(0, node.catchUp("ana"), "nothing left to read");
        }
    }

    @Test
    void pauseAllNamesTheQueuedRunsItDropsAndJournalsNoneOfThem() throws Exception {
        try (RunSystem node = Runs.open(dir, 1, FaultHook.NONE)) {
            node.<Trainer.Reply>ask(r -> new RunSupervisor.StartRun("long", Runs.small("add", 1, 1_000_000, 1000), r));
            // a queued run is answered when it starts, so this one is told, not asked
            node.system().tell(new RunSupervisor.StartRun("waiting", Runs.small("add", 2, 100, 50),
                    node.system().ignoreRef()));
            RunSupervisor.Paused paused = node.<RunSupervisor.Paused>ask(RunSupervisor.PauseAll::new);
            assertEquals(new RunSupervisor.Paused(1, List.of("waiting")), paused);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (node.activeRuns().containsValue(RunStatus.RUNNING) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(RunStatus.PAUSED, node.activeRuns().get("long"), "paused within 30 s of PauseAll");
            assertEquals(List.of("long"), node.runIds(), "the dropped run left nothing in the journal");
        }
    }

    /**
     * A resume of a run that has ended is refused and frees its slot at once: the queued run
     * behind it (one slot) starts and completes.
     */
    @Test
    void aRefusedResumeOfAnEndedRunFreesItsSlot() throws Exception {
        try (RunSystem node = Runs.open(dir, 1, FaultHook.NONE)) {
            Runs.startAndAwait(node, List.of("done"), List.of(Runs.small("add", 1, 20, 10)), Duration.ofSeconds(60));
            java.util.concurrent.CompletableFuture<Trainer.Reply> refused = new java.util.concurrent.CompletableFuture<>();
            var replies = node.system().systemActorOf(
                    org.apache.pekko.actor.typed.javadsl.Behaviors.<Trainer.Reply>receiveMessage(r -> {
                        refused.complete(r);
                        return org.apache.pekko.actor.typed.javadsl.Behaviors.same();
                    }), "refused", org.apache.pekko.actor.typed.Props.empty());
            java.util.concurrent.CountDownLatch nextEnded = new java.util.concurrent.CountDownLatch(1);
            node.system().tell(new RunSupervisor.Subscribe(node.system().systemActorOf(
                    org.apache.pekko.actor.typed.javadsl.Behaviors.<Trainer.Ended>receiveMessage(e -> {
                        if (e.runId().equals("next")) {
                            nextEnded.countDown();
                        }
                        return org.apache.pekko.actor.typed.javadsl.Behaviors.same();
                    }), "next-listener", org.apache.pekko.actor.typed.Props.empty())));
            node.system().tell(new RunSupervisor.StartRuns(List.of(
                    new RunSupervisor.StartRun("done", null, RunSupervisor.Journaled.of(node.summary("done")), replies),
                    new RunSupervisor.StartRun("next", Runs.small("add", 2, 20, 10), node.system().ignoreRef()))));
            assertTrue(nextEnded.await(60, java.util.concurrent.TimeUnit.SECONDS), "the run queued behind it ran");
            assertTrue(refused.get(10, java.util.concurrent.TimeUnit.SECONDS) instanceof Trainer.Rejected r
                    && r.reason().contains("is completed"), String.valueOf(refused.getNow(null)));
            assertEquals(RunStatus.COMPLETED, node.summary("next").status());
        }
    }

    /**
     * A resume restores the last checkpoint and recomputes the epochs journaled after it; a Pause
     * during that catch-up is answered within a chunk, not after all of it (Ctrl-C waits only
     * grokscope.supervisor.pause-timeout for the trainers). The second session's epochs are slowed
     * to 5 ms, so recomputing 400 of them takes 2 s against 250 ms chunks.
     */
    @Test
    void aPauseDuringTheCatchUpOfAResumeIsAnsweredWithinAChunk() throws Exception {
        RunSpec spec = Runs.small("add", 1, 100_000, 0); // no checkpoint before the end: a resume starts from epoch 0
        int pausedAt;
        try (RunSystem node = Runs.open(dir, 1, FaultHook.NONE)) {
            node.<Trainer.Reply>ask(r -> new RunSupervisor.StartRun("r", spec, r));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (node.summary("r").epoch() < 400 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            node.<Trainer.Reply>ask(r -> new RunSupervisor.PauseRun("r", r));
            pausedAt = node.summary("r").epoch();
            assertTrue(pausedAt >= 400, "trained to " + pausedAt);
        }
        java.util.concurrent.atomic.AtomicInteger highest = new java.util.concurrent.atomic.AtomicInteger();
        FaultHook slow = (runId, epoch) -> {
            highest.accumulateAndGet(epoch, Math::max);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (RunSystem node = Runs.open(dir, 1, slow)) {
            node.<Trainer.Reply>ask(r -> new RunSupervisor.StartRun("r", null, r));
            Trainer.Reply reply = node.<Trainer.Reply>ask(r -> new RunSupervisor.PauseRun("r", r));
            assertTrue(reply instanceof Trainer.Accepted a && a.status() == RunStatus.PAUSED, String.valueOf(reply));
            assertTrue(highest.get() < pausedAt, "paused after recomputing " + highest.get() + " of the "
                    + pausedAt + " journaled epochs, not after all of them");
            assertEquals(pausedAt, node.summary("r").epoch(), "nothing journaled twice or lost");
            assertTrue(node.summary("r").contiguous());
        }
        try (RunSystem node = Runs.open(dir, 1, FaultHook.NONE)) {
            node.<Trainer.Reply>ask(r -> new RunSupervisor.StartRun("r", null, r));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (node.summary("r").epoch() <= pausedAt + 20 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            node.<Trainer.Reply>ask(r -> new RunSupervisor.PauseRun("r", r));
            RunSummary s = node.summary("r");
            assertTrue(s.epoch() > pausedAt + 20, "the next resume trains on: " + s.epoch());
            assertTrue(s.contiguous());
        }
    }

    /**
     * 200 checkpoints, so 200 analyses and a precursor in the analysis journal: one unbounded
     * current query over it delivered 200 events and then waited forever; RunSystem reads in
     * bounded ranges (export and resume of ended runs used to hang here for 5 minutes).
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aLongAnalysisJournalIsReadToTheEnd() throws Exception {
        RunSpec spec = Runs.small("add", 1, 5000, 25);
        try (RunSystem node = Runs.open(dir, 1, FaultHook.NONE)) {
            Runs.startAndAwait(node, List.of("long"), List.of(spec), Duration.ofSeconds(90));
            node.<Integer>ask(RunSupervisor.WhenDetectorsDone::new);
            List<Integer> epochs = node.analyses("long").stream().map(a -> a.epoch()).toList();
            assertEquals(200, epochs.size());
            assertEquals(25, epochs.get(0));
            assertEquals(5000, epochs.get(199));
            assertEquals(5000, node.events("long").stream()
                    .filter(e -> e instanceof org.grokscope.protocol.events.EpochCompleted).count());
        }
    }
}
