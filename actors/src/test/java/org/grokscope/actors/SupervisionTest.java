package org.grokscope.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.grokscope.protocol.OptimizerSpec;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunStatus;
import org.grokscope.protocol.events.RunFailed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty small runs with two slots all complete; a run whose training throws once restarts from
 * its snapshot and ends bit-identical to a clean run; a diverging run ends Failed("diverged");
 * a run that keeps failing is recorded Failed with its error once restarts run out.
 */
class SupervisionTest {
    private static final String[] TASKS = {"add", "sub", "mul", "sq_sum", "quad"};

    @TempDir
    Path dir;

    @Test
    void twentyRunsWithFaultsAndDivergence() throws Exception {
        List<String> ids = new ArrayList<>();
        List<RunSpec> specs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add("r" + i);
            specs.add(Runs.small(TASKS[i % TASKS.length], 100 + i, 60, 20));
        }
        // r5 throws once at epoch 47, after its checkpoint at 40
        AtomicInteger thrown = new AtomicInteger();
        // r6 throws at every attempt of epoch 30
        FaultHook faults = (runId, epoch) -> {
            if (runId.equals("r5") && epoch == 47 && thrown.getAndIncrement() == 0) {
                throw new IllegalStateException("injected fault at epoch 47");
            }
            if (runId.equals("r6") && epoch == 30) {
                throw new IllegalStateException("injected permanent fault");
            }
        };
        // r7 diverges
        RunSpec d = specs.get(7);
        specs.set(7, new RunSpec(d.task(), d.p(), d.alpha(), d.splitSeed(), d.initSeed(), d.width(), d.activation(),
                d.parametrization(), d.loss(), new OptimizerSpec(org.grokscope.protocol.OptimizerKind.GD, 1e9, 0, false,
                0, 0.9, 0.98, 1e-8), d.epochs(), d.batchSize(), d.evalEvery(), d.checkpointEvery(), d.backend()));

        try (RunSystem node = Runs.open(dir, 2, faults)) {
            List<Trainer.Ended> ended = Runs.startAndAwait(node, ids, specs, Duration.ofSeconds(240));
            assertEquals(20, ended.size());
            for (int i = 0; i < 20; i++) {
                RunSummary s = node.summary(ids.get(i));
                if (i == 6) {
                    assertEquals(RunStatus.FAILED, s.status());
                    assertTrue(s.reason().contains("injected permanent fault"), s.reason());
                    assertEquals(29, s.epoch(), "epochs before the fault are kept");
                } else if (i == 7) {
                    assertEquals(RunStatus.FAILED, s.status());
                    assertEquals(RunFailed.DIVERGED, s.reason());
                } else {
                    assertEquals(RunStatus.COMPLETED, s.status(), ids.get(i));
                    assertEquals(60, s.epochEvents(), "one EpochCompleted per epoch for " + ids.get(i));
                    assertTrue(s.contiguous());
                }
                assertTrue(s.contiguous(), "no gaps or duplicates in " + ids.get(i));
            }
            assertEquals(1, thrown.get() > 0 ? 1 : 0, "the fault was injected");
            RunSummary faulty = node.summary("r5");
            assertTrue(Runs.checkpointWeights(faulty).sameBits(Runs.reference(specs.get(5), 1)),
                    "restarted run ends with the clean run's weights");
        }
    }
}
