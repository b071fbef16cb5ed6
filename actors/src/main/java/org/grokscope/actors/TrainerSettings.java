package org.grokscope.actors;

import com.typesafe.config.Config;
import java.time.Duration;
import org.grokscope.compute.ComputeSettings;
import org.grokscope.compute.train.EventSettings;

/**
 * How trainers run, from {@code grokscope.trainer} and friends ({@code reference.conf}).
 *
 * @param chunkDuration training time per chunk: Pause and Stop are answered within one chunk
 * @param minBackoff    first restart delay after a failure
 * @param maxBackoff    longest restart delay
 * @param randomFactor  jitter of the restart delay
 * @param maxRestarts   restarts before a run is recorded as Failed
 * @param compute       compute settings for the run's engine (threads already divided per run)
 * @param events        grokking-event thresholds
 * @param codeVersion   recorded in RunStarted
 * @param minFreeDisk   bytes that must stay free in the data directory, else the run pauses
 * @param dataDir       the data directory whose free space is watched
 * @param batchBackends backends on which the supervisor trains compatible queued runs as one batch
 * @param maxBatch      most runs in one batch
 */
public record TrainerSettings(Duration chunkDuration, Duration minBackoff, Duration maxBackoff, double randomFactor,
                              int maxRestarts, ComputeSettings compute, EventSettings events, String codeVersion,
                              long minFreeDisk, java.nio.file.Path dataDir, java.util.Set<String> batchBackends,
                              int maxBatch) {

    public static TrainerSettings create(Config config, ComputeSettings compute, String codeVersion) {
        Config t = config.getConfig("grokscope.trainer");
        return new TrainerSettings(t.getDuration("chunk-duration"), t.getDuration("restart.min-backoff"),
                t.getDuration("restart.max-backoff"), t.getDouble("restart.random-factor"),
                t.getInt("restart.max-restarts"), compute, EventSettings.create(config), codeVersion,
                t.getBytes("min-free-disk"), java.nio.file.Path.of(config.getString("grokscope.data-dir")),
                java.util.Set.copyOf(t.getStringList("batch.backends")), t.getInt("batch.max-runs"));
    }
}
