package org.grokscope.actors;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.train.TrainingRun;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.BackendKind;
import org.grokscope.protocol.LossKind;
import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.OptimizerSpec;
import org.grokscope.protocol.Parametrization;
import org.grokscope.protocol.RunSpec;

/** Helpers shared by the actor tests: small specs, reference weights, waiting for runs to end. */
final class Runs {
    private Runs() {
    }

    static RunSpec small(String task, long seed, int epochs, int checkpointEvery) {
        return new RunSpec(task, 23, 0.6, seed, seed, 48, Activation.QUAD, Parametrization.MEAN_FIELD, LossKind.MSE,
                new OptimizerSpec(OptimizerKind.ADAMW, 0.01, 0, false, 1.0, 0.9, 0.98, 1e-8), epochs, 0, 5,
                checkpointEvery, BackendKind.CPU);
    }

    static RunSystem open(Path dir, int maxConcurrent, FaultHook faults) {
        return RunSystem.open(dir, ConfigFactory.load(), maxConcurrent, "test", faults);
    }

    /** Weights of an uninterrupted in-memory run of the same spec, one thread as the trainers use. */
    static Weights reference(RunSpec spec, int threads) {
        try (TrainingRun run = TrainingRun.create(spec, ComputeSettings.defaults().withThreads(threads))) {
            for (int e = 0; e < spec.epochs(); e++) {
                run.runEpoch();
            }
            return run.engine().weights();
        }
    }

    static Weights checkpointWeights(RunSummary s) {
        return Weights.fromPaperLayout(ModelShape.of(s.spec()), s.lastCheckpoint().w1(), s.lastCheckpoint().w2());
    }

    /** Starts runs and waits for each to end; returns the Ended messages in arrival order. */
    static List<Trainer.Ended> startAndAwait(RunSystem node, List<String> ids, List<RunSpec> specs, Duration timeout)
            throws InterruptedException {
        return startAndAwait(node, ids, specs, timeout, false);
    }

    /** @param together submit all runs in one StartRuns, as a sweep does */
    static List<Trainer.Ended> startAndAwait(RunSystem node, List<String> ids, List<RunSpec> specs, Duration timeout,
                                             boolean together) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(ids.size());
        ConcurrentLinkedQueue<Trainer.Ended> ended = new ConcurrentLinkedQueue<>();
        ActorRef<Trainer.Ended> listener = node.system().systemActorOf(Behaviors.receiveMessage(e -> {
            ended.add(e);
            latch.countDown();
            return Behaviors.same();
        }), "listener-" + System.nanoTime(), org.apache.pekko.actor.typed.Props.empty());
        node.system().tell(new RunSupervisor.Subscribe(listener));
        if (together) {
            ActorRef<Trainer.Reply> ignore = node.system().ignoreRef();
            List<RunSupervisor.StartRun> runs = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                runs.add(new RunSupervisor.StartRun(ids.get(i), specs.get(i), ignore));
            }
            node.system().tell(new RunSupervisor.StartRuns(runs));
        }
        for (int i = 0; i < ids.size() && !together; i++) {
            String id = ids.get(i);
            RunSpec spec = specs.get(i);
            Trainer.Reply reply = node.<Trainer.Reply>ask(r -> new RunSupervisor.StartRun(id, spec, r));
            if (reply instanceof Trainer.Rejected rejected) {
                throw new IllegalStateException(rejected.reason());
            }
        }
        if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("runs did not end in " + timeout + "; ended so far: " + ended);
        }
        return Collections.unmodifiableList(new ArrayList<>(ended));
    }
}
