package org.grokscope.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.OptimizerSpec;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunStatus;
import org.grokscope.protocol.events.RunFailed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compatible queued runs are trained as one batch (here on the CPU backend's sequential batch, so
 * the test needs no OpenCL device): they interleave epoch by epoch in one slot, a fault in the
 * batch restarts every member from its checkpoint, a diverging member leaves and the rest go on,
 * and every run's journal and final weights equal those of the same run trained alone.
 */
class BatchTrainingTest {
    @TempDir
    Path dir;

    private static RunSpec variant(long seed, double alpha, double lr) {
        RunSpec s = Runs.small("add", seed, 60, 20);
        return new RunSpec(s.task(), s.p(), alpha, s.splitSeed(), s.initSeed(), s.width(), s.activation(),
                s.parametrization(), s.loss(), new OptimizerSpec(OptimizerKind.ADAMW, lr, 0, false, 1.0, 0.9, 0.98,
                1e-8), s.epochs(), s.batchSize(), s.evalEvery(), s.checkpointEvery(), s.backend());
    }

    @Test
    void compatibleRunsTrainAsOneBatch() throws Exception {
        List<String> ids = List.of("b0", "b1", "b2", "b3", "diverges", "alone");
        List<RunSpec> specs = List.of(variant(1, 0.6, 0.01), variant(2, 0.5, 0.02), variant(3, 0.7, 0.005),
                variant(4, 0.6, 0.01), variant(5, 0.6, 1e9), Runs.small("add", 6, 50, 20));
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        AtomicInteger thrown = new AtomicInteger();
        FaultHook faults = (runId, epoch) -> {
            order.add(runId + "@" + epoch);
            if (runId.equals("b1") && epoch == 33 && thrown.getAndIncrement() == 0) {
                throw new IllegalStateException("injected fault at epoch 33");
            }
        };
        var config = ConfigFactory.parseString("grokscope.trainer.batch.backends = [cpu]")
                .withFallback(ConfigFactory.load());
        try (RunSystem node = RunSystem.open(dir, config, 1, "test", faults)) {
            List<Trainer.Ended> ended = Runs.startAndAwait(node, ids, specs, Duration.ofSeconds(240), true);
            assertEquals(ids.size(), ended.size());
            assertEquals(2, thrown.get(), "b1 reached epoch 33 twice: the fault, then the retry after the restart");
            for (int i = 0; i < ids.size(); i++) {
                RunSummary s = node.summary(ids.get(i));
                assertTrue(s.contiguous(), "no gaps or duplicates in " + ids.get(i));
                if (ids.get(i).equals("diverges")) {
                    assertEquals(RunStatus.FAILED, s.status());
                    assertEquals(RunFailed.DIVERGED, s.reason());
                    continue;
                }
                assertEquals(RunStatus.COMPLETED, s.status(), ids.get(i));
                assertEquals(specs.get(i).epochs(), s.epochEvents(), "one EpochCompleted per epoch of " + ids.get(i));
                assertTrue(Runs.checkpointWeights(s).sameBits(Runs.reference(specs.get(i), 1)),
                        ids.get(i) + " ends with the weights of the same run trained alone");
            }
        }
        List<String> seen = new ArrayList<>(order);
        // one slot: trained alone, b0 would finish all 60 epochs before b1 starts
        assertTrue(seen.indexOf("b1@1") < seen.indexOf("b0@2"), "b0 and b1 step together: " + seen.subList(0, 12));
        assertTrue(seen.indexOf("alone@1") > seen.lastIndexOf("b0@60"), "the incompatible run waits for the slot");
    }

    private static RunSpec everyEpoch(RunSpec s, int epochs) {
        return new RunSpec(s.task(), s.p(), s.alpha(), s.splitSeed(), s.initSeed(), s.width(), s.activation(),
                s.parametrization(), s.loss(), s.optimizer(), epochs, s.batchSize(), s.evalEvery(), 1, s.backend());
    }

    /** A member that diverges leaves the batch; the others still take the checkpoint due at that epoch. */
    @Test
    void aDivergingMemberCostsTheOthersNoCheckpoint() throws Exception {
        List<String> ids = List.of("steady1", "steady2", "blowup");
        List<RunSpec> specs = List.of(everyEpoch(variant(1, 0.6, 0.01), 30), everyEpoch(variant(2, 0.5, 0.01), 30),
                everyEpoch(variant(5, 0.6, 1e9), 30));
        var config = ConfigFactory.parseString("grokscope.trainer.batch.backends = [cpu]")
                .withFallback(ConfigFactory.load());
        try (RunSystem node = RunSystem.open(dir, config, 1, "test", FaultHook.NONE)) {
            Runs.startAndAwait(node, ids, specs, Duration.ofSeconds(120), true);
            assertEquals(RunFailed.DIVERGED, node.summary("blowup").reason());
            for (int i = 0; i < 2; i++) {
                RunSummary s = node.summary(ids.get(i));
                assertEquals(RunStatus.COMPLETED, s.status());
                // the two go on as a batch of two from the epoch where the third diverged
                assertEquals(java.util.stream.IntStream.rangeClosed(1, 30).boxed().toList(),
                        checkpointEpochs(node, ids.get(i)), "a checkpoint at every epoch of " + ids.get(i));
                assertTrue(Runs.checkpointWeights(s).sameBits(Runs.reference(specs.get(i), 1)));
            }
        }
    }

    /** A fault in a run after its batch broke up restarts it alone, not towards the stopped batch. */
    @Test
    void aFaultAfterTheBatchBrokeUpRestartsTheRunAlone() throws Exception {
        List<String> ids = List.of("steady", "blowup");
        List<RunSpec> specs = List.of(everyEpoch(variant(1, 0.6, 0.01), 30), everyEpoch(variant(5, 0.6, 1e9), 30));
        AtomicInteger thrown = new AtomicInteger();
        FaultHook faults = (runId, epoch) -> {
            if (runId.equals("steady") && epoch == 20 && thrown.getAndIncrement() == 0) {
                throw new IllegalStateException("injected fault at epoch 20, after the batch broke up");
            }
        };
        var config = ConfigFactory.parseString("grokscope.trainer.batch.backends = [cpu]")
                .withFallback(ConfigFactory.load());
        try (RunSystem node = RunSystem.open(dir, config, 1, "test", faults)) {
            Runs.startAndAwait(node, ids, specs, Duration.ofSeconds(60), true);
            RunSummary blowup = node.summary("blowup");
            assertEquals(RunFailed.DIVERGED, blowup.reason());
            assertTrue(blowup.epoch() < 20, "it diverged while the two were one batch, at " + blowup.epoch());
            RunSummary steady = node.summary("steady");
            assertEquals(RunStatus.COMPLETED, steady.status(), "trained on after the restart");
            assertEquals(2, thrown.get(), "the fault, then the retry after the restart");
            assertTrue(Runs.checkpointWeights(steady).sameBits(Runs.reference(specs.get(0), 1)));
        }
    }

    /**
     * Runs paused together and resumed in one command, each with the spec its journal holds (as
     * `grokscope resume` and a sweep's catch-up send them), share one slot as a batch again.
     */
    @Test
    void resumedRunsAtTheSameCheckpointTrainAsOneBatchAgain() throws Exception {
        List<String> ids = List.of("r0", "r1");
        List<RunSpec> specs = List.of(everyEpoch(variant(1, 0.6, 0.01), 300), everyEpoch(variant(2, 0.5, 0.02), 300));
        var config = ConfigFactory.parseString("grokscope.trainer.batch.backends = [cpu]")
                .withFallback(ConfigFactory.load());
        java.util.concurrent.CountDownLatch underway = new java.util.concurrent.CountDownLatch(1);
        FaultHook slow = (runId, epoch) -> {
            if (epoch == 30) {
                underway.countDown();
            }
            try {
                Thread.sleep(2); // so the pause lands well before the end
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (RunSystem node = RunSystem.open(dir, config, 1, "test", slow)) {
            List<RunSupervisor.StartRun> starts = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                starts.add(new RunSupervisor.StartRun(ids.get(i), specs.get(i), node.system().ignoreRef()));
            }
            node.system().tell(new RunSupervisor.StartRuns(starts));
            assertTrue(underway.await(60, java.util.concurrent.TimeUnit.SECONDS));
            node.<RunSupervisor.Paused>ask(RunSupervisor.PauseAll::new);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (node.activeRuns().containsValue(RunStatus.RUNNING) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        FaultHook record = (runId, epoch) -> order.add(runId + "@" + epoch);
        try (RunSystem node = RunSystem.open(dir, config, 1, "test", record)) {
            int pausedAt = node.summary("r0").epoch();
            assertEquals(RunStatus.PAUSED, node.summary("r0").status());
            assertEquals(pausedAt, node.summary("r1").epoch(), "the batch paused both at one epoch");
            assertTrue(pausedAt < 300, "paused before the end, at " + pausedAt);
            resumeTogetherAndAwait(node, ids);
            for (int i = 0; i < ids.size(); i++) {
                RunSummary s = node.summary(ids.get(i));
                assertEquals(RunStatus.COMPLETED, s.status(), ids.get(i));
                assertTrue(s.contiguous(), "no gaps or duplicates in " + ids.get(i));
                assertTrue(Runs.checkpointWeights(s).sameBits(Runs.reference(specs.get(i), 1)),
                        ids.get(i) + " ends with the weights of the same run trained alone");
            }
        }
        List<String> seen = new ArrayList<>(order);
        // one slot: resumed one after the other, r0 would reach its last epoch before r1 trains at all
        assertTrue(seen.indexOf("r1@300") >= 0 && seen.stream().filter(e -> e.startsWith("r1@")).map(seen::indexOf)
                .min(Integer::compare).orElseThrow() < seen.indexOf("r0@300"),
                "r0 and r1 step together after the resume: " + seen.subList(0, Math.min(12, seen.size())));
    }

    /**
     * Compatible runs paused at different checkpoints, resumed together: a batch restores all its
     * members from one checkpoint, so they cannot share one, and with one slot they must train one
     * after another, not all at once beside a batch that holds the slot.
     */
    @Test
    void resumedRunsAtDifferentCheckpointsTakeOneSlotEach() throws Exception {
        List<String> ids = List.of("c0", "c1", "c2");
        List<Integer> holdAt = List.of(30, 40, 50);
        List<RunSpec> specs = List.of(everyEpoch(variant(1, 0.6, 0.01), 120), everyEpoch(variant(2, 0.5, 0.02), 120),
                everyEpoch(variant(3, 0.7, 0.005), 120));
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(ids.size());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        FaultHook hold = (runId, epoch) -> {
            if (epoch == holdAt.get(ids.indexOf(runId))) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        // first each run alone (no batching), held at its own epoch and paused there
        try (RunSystem node = RunSystem.open(dir, ConfigFactory.load(), 3, "test", hold)) {
            List<RunSupervisor.StartRun> starts = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                starts.add(new RunSupervisor.StartRun(ids.get(i), specs.get(i), node.system().ignoreRef()));
            }
            node.system().tell(new RunSupervisor.StartRuns(starts));
            assertTrue(held.await(60, java.util.concurrent.TimeUnit.SECONDS));
            for (String id : ids) {
                node.system().tell(new RunSupervisor.PauseRun(id, node.system().ignoreRef()));
            }
            Thread.sleep(100); // the pauses wait in the trainers' stashes for the held chunks
            release.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (node.activeRuns().containsValue(RunStatus.RUNNING) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        var config = ConfigFactory.parseString("grokscope.trainer.batch.backends = [cpu]")
                .withFallback(ConfigFactory.load());
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        FaultHook record = (runId, epoch) -> order.add(runId);
        try (RunSystem node = RunSystem.open(dir, config, 1, "test", record)) {
            java.util.Set<Integer> checkpoints = new java.util.HashSet<>();
            for (String id : ids) {
                RunSummary s = node.summary(id);
                assertEquals(RunStatus.PAUSED, s.status(), id);
                checkpoints.add(s.lastCheckpoint().epoch());
            }
            assertEquals(3, checkpoints.size(), "three different checkpoints: " + checkpoints);
            resumeTogetherAndAwait(node, ids);
            for (int i = 0; i < ids.size(); i++) {
                RunSummary s = node.summary(ids.get(i));
                assertEquals(RunStatus.COMPLETED, s.status(), ids.get(i));
                assertTrue(Runs.checkpointWeights(s).sameBits(Runs.reference(specs.get(i), 1)), ids.get(i));
            }
        }
        List<String> seen = new ArrayList<>(order);
        int switches = 0;
        for (int i = 1; i < seen.size(); i++) {
            if (!seen.get(i).equals(seen.get(i - 1))) {
                switches++;
            }
        }
        assertEquals(2, switches, "one run at a time in the one slot: " + seen.size() + " epochs in "
                + (switches + 1) + " stretches");
    }

    /** Resumes the runs in one StartRuns, each with what its journal says, as `grokscope resume` does; waits for their ends. */
    private static void resumeTogetherAndAwait(RunSystem node, List<String> ids) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(ids.size());
        node.system().tell(new RunSupervisor.Subscribe(node.system().systemActorOf(
                org.apache.pekko.actor.typed.javadsl.Behaviors.<Trainer.Ended>receiveMessage(e -> {
                    if (ids.contains(e.runId())) {
                        done.countDown();
                    }
                    return org.apache.pekko.actor.typed.javadsl.Behaviors.same();
                }), "resumed-listener", org.apache.pekko.actor.typed.Props.empty())));
        List<RunSupervisor.StartRun> resumes = new ArrayList<>();
        for (String id : ids) {
            resumes.add(new RunSupervisor.StartRun(id, null, RunSupervisor.Journaled.of(node.summary(id)),
                    node.system().ignoreRef()));
        }
        node.system().tell(new RunSupervisor.StartRuns(resumes));
        assertTrue(done.await(120, java.util.concurrent.TimeUnit.SECONDS), "the resumed runs " + ids + " ended");
    }

    private static List<Integer> checkpointEpochs(RunSystem node, String runId) {
        return node.events(runId).stream().filter(e -> e instanceof org.grokscope.protocol.events.CheckpointSaved)
                .map(e -> ((org.grokscope.protocol.events.CheckpointSaved) e).epoch()).toList();
    }

    /** With the default config, runs asking for opencl are batched on the OpenCL device. */
    @Test
    void openClRunsTrainAsOneBatchOnTheDevice() throws Exception {
        // CI installs pocl: there a missing platform is a broken build, not a reason to skip
        org.junit.jupiter.api.Assertions.assertFalse("true".equals(System.getenv("CI"))
                && org.grokscope.compute.backend.opencl.OpenClDevices.list().isEmpty(),
                "CI=true but no OpenCL platform: install pocl-opencl-icd ocl-icd-libopencl1");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                !org.grokscope.compute.backend.opencl.OpenClDevices.list().isEmpty(),
                "skipped: no OpenCL platform on this machine (CI installs pocl-opencl-icd ocl-icd-libopencl1)");
        List<String> ids = List.of("o0", "o1", "o2");
        List<RunSpec> specs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            specs.add(variant(10 + i, 0.5 + 0.1 * i, 0.01).withBackend(org.grokscope.protocol.BackendKind.OPENCL));
        }
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        FaultHook trace = (runId, epoch) -> order.add(runId + "@" + epoch);
        try (RunSystem node = RunSystem.open(dir, ConfigFactory.load(), 1, "test", trace)) {
            Runs.startAndAwait(node, ids, specs, Duration.ofSeconds(240), true);
            for (int i = 0; i < ids.size(); i++) {
                RunSummary s = node.summary(ids.get(i));
                assertEquals(RunStatus.COMPLETED, s.status(), ids.get(i));
                assertTrue(s.contiguous());
                assertTrue(Runs.checkpointWeights(s).sameBits(Runs.reference(specs.get(i), 1)),
                        ids.get(i) + " ends with the weights of the same OpenCL run trained alone");
            }
        }
        List<String> seen = new ArrayList<>(order);
        assertTrue(seen.indexOf("o2@1") < seen.indexOf("o0@2"), "o0..o2 step together: " + seen.subList(0, 9));
    }
}
