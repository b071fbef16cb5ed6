package org.grokscope.protocol;

/**
 * Everything that defines a training run: the task and its split, the model, the loss, the
 * optimizer, the schedule and the backend. Two runs with equal specs (and the same backend and
 * code version) produce bit-identical weights, so the spec is what journals record.
 *
 * @param task            a built-in task name or an expression in n and m (parsed by compute)
 * @param p               the modulus
 * @param alpha           the training fraction, in (0, 1)
 * @param splitSeed       seed of the train/test shuffle
 * @param initSeed        seed of the initial weights (and of minibatch order)
 * @param width           hidden width N
 * @param batchSize       0 for full batch (one step per epoch), else the minibatch size
 * @param evalEvery       test metrics every this many epochs (and at the last epoch)
 * @param checkpointEvery weights are checkpointed every this many epochs; 0 for never
 */
public record RunSpec(String task, int p, double alpha, long splitSeed, long initSeed, int width,
                      Activation activation, Parametrization parametrization, LossKind loss,
                      OptimizerSpec optimizer, int epochs, int batchSize, int evalEvery,
                      int checkpointEvery, BackendKind backend) {

    public static final int MIN_P = 2;
    /** Largest modulus: p² pairs and p×N weights must stay comfortably in memory. */
    public static final int MAX_P = 4096;
    public static final int MAX_WIDTH = 1 << 16;
    public static final int MAX_EPOCHS = 1_000_000_000;
    public static final long MAX_BATCH_SIZE = (long) MAX_P * MAX_P;

    public RunSpec {
        if (task == null || task.isBlank()) {
            throw new SpecException("task", "must be a built-in task name or an expression in n and m");
        }
        Checks.intRange("p", p, MIN_P, MAX_P);
        Checks.range("alpha", alpha, 0.0, false, 1.0, false);
        Checks.intRange("width", width, 1, MAX_WIDTH);
        Checks.intRange("epochs", epochs, 1, MAX_EPOCHS);
        Checks.intRange("batch-size", batchSize, 0, MAX_BATCH_SIZE);
        Checks.intRange("eval-every", evalEvery, 1, MAX_EPOCHS);
        Checks.intRange("checkpoint-every", checkpointEvery, 0, MAX_EPOCHS);
        if (activation == null || parametrization == null || loss == null || optimizer == null || backend == null) {
            throw new IllegalArgumentException("spec parts must not be null");
        }
    }

    public RunSpec withEpochs(int newEpochs) {
        return new RunSpec(task, p, alpha, splitSeed, initSeed, width, activation, parametrization, loss,
                optimizer, newEpochs, batchSize, evalEvery, checkpointEvery, backend);
    }

    public RunSpec withBackend(BackendKind newBackend) {
        return new RunSpec(task, p, alpha, splitSeed, initSeed, width, activation, parametrization, loss,
                optimizer, epochs, batchSize, evalEvery, checkpointEvery, newBackend);
    }
}
