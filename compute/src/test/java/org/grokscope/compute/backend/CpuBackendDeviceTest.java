package org.grokscope.compute.backend;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.train.TrainingRun;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.BackendKind;
import org.grokscope.protocol.LossKind;
import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.OptimizerSpec;
import org.grokscope.protocol.Parametrization;
import org.grokscope.protocol.RunSpec;
import org.junit.jupiter.api.Test;

/**
 * The cpu backend's device string is what a run's journal records of how it was computed
 * (TrainingSessionStarted): a setting that changes the bits must change the string, so a resume
 * under other settings leaves a trace.
 */
class CpuBackendDeviceTest {
    private static final RunSpec SPEC = new RunSpec("add", 23, 0.6, 1, 1, 48, Activation.QUAD,
            Parametrization.MEAN_FIELD, LossKind.MSE, new OptimizerSpec(OptimizerKind.ADAMW, 0.01, 0, false, 1.0, 0.9,
            0.98, 1e-8), 20, 0, 5, 10, BackendKind.CPU);

    private static Weights train(ComputeSettings settings) {
        try (TrainingRun run = TrainingRun.create(SPEC, settings)) {
            for (int e = 0; e < SPEC.epochs(); e++) {
                run.runEpoch();
            }
            return run.engine().weights();
        }
    }

    @Test
    void tileRowsChangeTheBitsAndTheRecordedDevice() {
        ComputeSettings small = new ComputeSettings(2, 3, 16);
        ComputeSettings large = new ComputeSettings(2, 3, 64);
        // the lanes' partial sums are taken over tiles, so the tile size changes summation order
        assertFalse(train(small).sameBits(train(large)), "the premise: tile rows change the bits");
        assertNotEquals(new CpuBackend(small).device(), new CpuBackend(large).device());
    }
}
