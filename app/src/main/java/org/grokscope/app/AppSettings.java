package org.grokscope.app;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Defaults of the command line, from {@code grokscope.app} in the app's {@code reference.conf}.
 *
 * @param outDir            where {@code train} writes curves when no --out is given
 * @param sweepDir          under the data directory, where {@code sweep} writes reports when no --out is given
 * @param progressInterval  refresh of the progress bar on a terminal
 * @param plainInterval     how often progress is printed as a line when stderr is not a terminal
 * @param benchWarmup       epochs run before timing, so the JIT has compiled the step
 * @param benchEpochs       timed epochs per backend
 * @param benchNaiveEpochs  timed epochs of the (slow) naive backend
 * @param benchRepetitions  timed blocks per backend; bench reports their median
 * @param benchOpenClWarmup untimed epochs of the OpenCL backend (kernel compilation)
 * @param benchOpenClEpochs timed epochs of the OpenCL backend
 * @param benchBatchRunEpochs batched bench: run-epochs timed per batch size R (steps = this / R)
 * @param benchReferenceCalls timed calls of the reference sgemm printed under the cpu rows
 * @param plotFunctionClass the output q whose function image plot draws when no --class is given
 */
public record AppSettings(String outDir, String sweepDir, Duration progressInterval, Duration plainInterval,
                          int benchWarmup, int benchEpochs, int benchNaiveEpochs, int benchRepetitions,
                          int benchOpenClWarmup, int benchOpenClEpochs, int benchBatchRunEpochs,
                          int benchReferenceCalls, int plotFunctionClass) {
    public static AppSettings create(Config config) {
        Config c = config.getConfig("grokscope.app");
        return new AppSettings(c.getString("out-dir"), c.getString("sweep-dir"), c.getDuration("progress.interval"),
                c.getDuration("progress.plain-interval"), c.getInt("bench.warmup-epochs"),
                c.getInt("bench.epochs"), c.getInt("bench.naive-epochs"),
                c.getInt("bench.repetitions"), c.getInt("bench.opencl-warmup-epochs"),
                c.getInt("bench.opencl-epochs"), c.getInt("bench.batch-run-epochs"),
                c.getInt("bench.reference-calls"), c.getInt("plot.function-class"));
    }
}
