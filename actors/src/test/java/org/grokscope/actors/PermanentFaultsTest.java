package org.grokscope.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.grokscope.compute.backend.opencl.OpenClException;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunStatus;
import org.grokscope.protocol.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults that a restart cannot cure are not retried: a backend this machine lacks pauses the run
 * (it can be resumed where the backend runs), a spec that cannot train fails it at once. Other
 * faults keep their restarts (SupervisionTest).
 */
class PermanentFaultsTest {
    @TempDir
    Path dir;

    @Test
    void aMissingOpenClDevicePausesTheRunOnceAndItResumesElsewhere() throws Exception {
        RunSpec spec = Runs.small("add", 3, 60, 20);
        AtomicInteger thrown = new AtomicInteger();
        FaultHook noDevice = (runId, epoch) -> {
            if (epoch == 31) {
                thrown.incrementAndGet();
                throw new OpenClException("backend opencl: no OpenCL device found");
            }
        };
        try (RunSystem node = Runs.open(dir, 1, noDevice)) {
            List<Trainer.Ended> ended = Runs.startAndAwait(node, List.of("o"), List.of(spec), Duration.ofSeconds(60));
            assertEquals(RunStatus.PAUSED, ended.get(0).status(), ended.toString());
            assertTrue(ended.get(0).reason().contains("no OpenCL device found"), ended.get(0).reason());
            assertEquals(RunStatus.PAUSED, node.summary("o").status());
        }
        assertEquals(1, thrown.get(), "not retried");
        try (RunSystem node = Runs.open(dir, 1, FaultHook.NONE)) {
            List<Trainer.Ended> ended = Runs.startAndAwait(node, List.of("o"), List.of(spec), Duration.ofSeconds(60));
            assertEquals(RunStatus.COMPLETED, ended.get(0).status(), ended.toString());
            RunSummary s = node.summary("o");
            assertEquals(60, s.epoch());
            assertTrue(s.contiguous());
            assertTrue(Runs.checkpointWeights(s).sameBits(Runs.reference(spec, 1)), "as if never paused");
        }
    }

    @Test
    void aSpecThatCannotTrainFailsAtOnce() throws Exception {
        RunSpec spec = Runs.small("add", 3, 60, 20);
        AtomicInteger thrown = new AtomicInteger();
        FaultHook badSpec = (runId, epoch) -> {
            thrown.incrementAndGet();
            throw new SpecException("alpha", "alpha=0.001 of 529 pairs leaves the training set empty");
        };
        try (RunSystem node = Runs.open(dir, 1, badSpec)) {
            List<Trainer.Ended> ended = Runs.startAndAwait(node, List.of("s"), List.of(spec), Duration.ofSeconds(60));
            assertEquals(RunStatus.FAILED, ended.get(0).status(), ended.toString());
            assertTrue(ended.get(0).reason().contains("training set empty"), ended.get(0).reason());
            assertEquals(RunStatus.FAILED, node.summary("s").status());
            assertTrue(node.summary("s").reason().contains("training set empty"), node.summary("s").reason());
        }
        assertEquals(1, thrown.get(), "not retried");
    }

    /**
     * A Pause that arrives while a chunk runs waits for it; when that chunk then faults, the pause
     * is carried out rather than lost to the restart (which would train the run on).
     */
    @Test
    void aPauseWaitingOnAFaultingChunkIsCarriedOut() throws Exception {
        RunSpec spec = Runs.small("add", 3, 3000, 100);
        java.util.concurrent.CountDownLatch inChunk = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        FaultHook faultAfterPause = (runId, epoch) -> {
            if (epoch == 151 && inChunk.getCount() > 0) {
                inChunk.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("injected fault while a pause waits");
            }
        };
        try (RunSystem node = Runs.open(dir, 1, faultAfterPause)) {
            java.util.concurrent.CompletableFuture<List<Trainer.Ended>> ended = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return Runs.startAndAwait(node, List.of("p"), List.of(spec), Duration.ofSeconds(120));
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            assertTrue(inChunk.await(60, java.util.concurrent.TimeUnit.SECONDS));
            node.system().tell(new RunSupervisor.PauseRun("p", node.system().ignoreRef()));
            Thread.sleep(500); // the pause is now stashed behind the chunk
            release.countDown();
            List<Trainer.Ended> result = ended.get(120, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(RunStatus.PAUSED, result.get(0).status(), result.toString());
            RunSummary s = node.summary("p");
            assertEquals(RunStatus.PAUSED, s.status());
            assertTrue(s.epoch() < 3000, "paused, not trained to the end: " + s.epoch());
        }
        try (RunSystem node = Runs.open(dir, 1, FaultHook.NONE)) {
            List<Trainer.Ended> ended = Runs.startAndAwait(node, List.of("p"), List.of(spec), Duration.ofSeconds(120));
            assertEquals(RunStatus.COMPLETED, ended.get(0).status(), ended.toString());
            RunSummary s = node.summary("p");
            assertTrue(s.contiguous());
            assertTrue(Runs.checkpointWeights(s).sameBits(Runs.reference(spec, 1)), "as if never paused");
        }
    }
}
