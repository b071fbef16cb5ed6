package org.grokscope.compute.analytic;

import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.backend.Backends;
import org.grokscope.compute.backend.BatchStats;
import org.grokscope.compute.backend.TrainingEngine;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.Optimizer;
import org.grokscope.compute.task.Dataset;
import org.grokscope.compute.task.Split;
import org.grokscope.compute.task.Task;
import org.grokscope.compute.task.Tasks;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.OptimizerSpec;
import org.grokscope.protocol.RunSpec;

/**
 * The analytic solution of one spec, scored like a trained network: the weights for the spec's
 * task, width, activation and phase seed (its init seed), and the metrics of its single "epoch"
 * from the spec's backend, on the spec's train/test split and on all pairs. What {@code grokscope
 * analytic} tabulates and journals as a completed run.
 *
 * @param accuracy accuracy over every pair of the task
 * @param loss     loss over every pair of the task
 */
public record AnalyticRun(RunSpec spec, Decomposition decomposition, Weights weights, EpochMetrics metrics,
                          double accuracy, double loss) {

    /** The spec of an analytic run: the given one with optimizer {@code analytic} and one epoch. */
    public static RunSpec analyticSpec(RunSpec base) {
        OptimizerSpec o = base.optimizer();
        OptimizerSpec marked = new OptimizerSpec(OptimizerKind.ANALYTIC, o.lr(), 0.0, false, 0.0, o.beta1(), o.beta2(),
                o.eps());
        return new RunSpec(base.task(), base.p(), base.alpha(), base.splitSeed(), base.initSeed(), base.width(),
                base.activation(), base.parametrization(), base.loss(), marked, 1, base.batchSize(), 1, 1,
                base.backend());
    }

    /** Decomposes the spec's task (SpecException when it has no construction) and scores the weights. */
    public static AnalyticRun create(RunSpec spec, AnalyticSettings settings, ComputeSettings compute) {
        return create(spec, Decompositions.find(Tasks.parse(spec.task(), spec.p())), settings, compute);
    }

    /** As {@link #create(RunSpec, AnalyticSettings, ComputeSettings)} with the decomposition already found. */
    public static AnalyticRun create(RunSpec spec, Decomposition d, AnalyticSettings settings, ComputeSettings compute) {
        RunSpec marked = analyticSpec(spec);
        Task task = Tasks.parse(marked.task(), marked.p());
        Dataset all = Dataset.of(task);
        Split split = Split.of(all, marked.alpha(), marked.splitSeed());
        ModelShape shape = ModelShape.of(marked);
        Weights w = AnalyticSolutions.build(d, shape, marked.initSeed(), settings);
        try (TrainingEngine engine = Backends.create(marked.backend(), compute)
                .open(w, new Optimizer(marked.optimizer()), split.train())) {
            BatchStats everything = engine.evaluate(all);
            BatchStats test = engine.evaluate(split.test());
            // the gradient at the constructed weights, never applied: how far from a minimum of the train loss they are
            BatchStats train = engine.computeGradients(null);
            double[] norms = engine.norms();
            EpochMetrics m = new EpochMetrics(1, train.loss(), train.accuracy(), test.loss(), test.accuracy(),
                    norms[0], norms[1], norms[2], norms[3]);
            return new AnalyticRun(marked, d, w, m, everything.accuracy(), everything.loss());
        }
    }
}
