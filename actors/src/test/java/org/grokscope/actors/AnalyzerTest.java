package org.grokscope.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grokscope.compute.analysis.CheckpointAnalysis;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.events.AnalysisRecorded;
import org.grokscope.protocol.events.CheckpointSaved;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live analyzers: one result per checkpoint, equal to a replay's computation on the journaled
 * weights, and after pause and resume none lost or computed twice.
 */
class AnalyzerTest {
    @TempDir
    Path dir;

    private static final CheckpointAnalysis REPLAY = new CheckpointAnalysis(
            List.of("ipr", "phases", "coverage", "ffs"), ConfigFactory.load());

    @Test
    void liveResultsEqualReplayAndSurvivePauseAndResume() throws Exception {
        Path data = dir.resolve("data");
        RunSpec spec = Runs.small("add", 4, 100_000, 400);
        try (RunSystem node = Runs.open(data, 1, FaultHook.NONE)) {
            node.<Trainer.Reply>ask(r -> new RunSupervisor.StartRun("a", spec, r));
            long deadline = System.currentTimeMillis() + 60_000;
            while (node.analyses("a").size() < 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            node.<Trainer.Reply>ask(r -> new RunSupervisor.PauseRun("a", r));
            node.<Integer>ask(RunSupervisor.WhenDetectorsDone::new);
        }
        try (RunSystem node = Runs.open(data, 1, FaultHook.NONE)) {
            int before = node.analyses("a").size();
            node.<Trainer.Reply>ask(r -> new RunSupervisor.StartRun("a", null, r));
            long deadline = System.currentTimeMillis() + 60_000;
            while (node.analyses("a").size() < before + 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            node.<Trainer.Reply>ask(r -> new RunSupervisor.StopRun("a", r));
            node.<Integer>ask(RunSupervisor.WhenDetectorsDone::new);

            List<AnalysisRecorded> live = node.analyses("a");
            List<CheckpointSaved> checkpoints = new ArrayList<>();
            node.events("a").forEach(e -> {
                if (e instanceof CheckpointSaved c) {
                    checkpoints.add(c);
                }
            });
            assertTrue(live.size() >= 6, "analyses on both sides of the pause: " + live.size());
            for (int i = 0; i < live.size(); i++) {
                assertEquals(checkpoints.get(i).epoch(), live.get(i).epoch(), "one result per checkpoint, in order");
                CheckpointSaved c = checkpoints.get(i);
                Map<String, Object> row = REPLAY.analyze(c.p(), c.width(), c.w1(), c.w2());
                List<String> names = new ArrayList<>();
                List<Double> values = new ArrayList<>();
                CheckpointAnalysis.flatten(row, names, values);
                assertArrayEquals(names.toArray(String[]::new), live.get(i).names());
                assertArrayEquals(values.stream().mapToDouble(Double::doubleValue).toArray(), live.get(i).values(),
                        "replay reproduces the live result exactly at epoch " + c.epoch());
            }
        }
    }
}
