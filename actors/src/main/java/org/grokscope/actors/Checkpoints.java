package org.grokscope.actors;

import org.grokscope.compute.backend.TrainingEngine;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.OptimizerState;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.events.CheckpointSaved;
import org.grokscope.protocol.events.OptimizerCheckpoint;

/**
 * Between an engine's state and the journal's CheckpointSaved, for the trainers that write
 * checkpoints and restore from them (one run's {@link Trainer}, a {@link BatchTrainer}'s members).
 */
final class Checkpoints {
    private Checkpoints() {
    }

    /** Checkpoints fall due at the spec's cadence and at the last epoch. */
    static boolean due(RunSpec spec, int epoch) {
        return epoch == spec.epochs() || (spec.checkpointEvery() > 0 && epoch % spec.checkpointEvery() == 0);
    }

    static CheckpointSaved of(TrainingEngine engine, int epoch) {
        Weights w = engine.weights();
        OptimizerState o = engine.optimizerState();
        return new CheckpointSaved(epoch, w.shape().p(), w.shape().width(), w.w1(), w.w2(),
                new OptimizerCheckpoint(o.step(), o.first1(), o.second1(), o.first2(), o.second2()));
    }

    static Weights weights(RunSpec spec, CheckpointSaved cp) {
        return Weights.fromPaperLayout(ModelShape.of(spec), cp.w1(), cp.w2());
    }

    static OptimizerState optimizerState(CheckpointSaved cp) {
        OptimizerCheckpoint o = cp.optimizer();
        return new OptimizerState(o.step(), o.first1(), o.second1(), o.first2(), o.second2());
    }
}
