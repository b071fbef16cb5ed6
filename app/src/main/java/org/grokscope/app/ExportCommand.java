package org.grokscope.app;

import com.typesafe.config.ConfigFactory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.grokscope.actors.RunSystem;
import org.grokscope.compute.analysis.CheckpointAnalysis;
import org.grokscope.compute.task.Dataset;
import org.grokscope.compute.task.Split;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunSpecs;
import org.grokscope.protocol.events.CheckpointSaved;
import org.grokscope.protocol.events.AnalysisRecorded;
import org.grokscope.protocol.events.DetectorEvent;
import org.grokscope.protocol.events.EpochCompleted;
import org.grokscope.protocol.events.GrokkingDetected;
import org.grokscope.protocol.events.PrecursorDetected;
import org.grokscope.protocol.events.RunEvent;
import org.grokscope.protocol.events.RunStarted;
import org.grokscope.protocol.events.TrainingSessionStarted;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code grokscope export RUN_ID}: a run's journal as files: the curve (CSV, as {@code train}
 * writes it), the live analyzers' results and the detector's findings (JSONL), the spec with its
 * seeds, the train/test split, and on request every checkpoint's weights (.npz), so other tools
 * can recompute anything from what the run trained on.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a run's curve, analyses and detections as CSV and JSONL.")
public final class ExportCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "RUN_ID")
    private String runId;

    @Mixin
    private NodeOptions node;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: export/<RUN_ID>)")
    private Path out;

    @Option(names = "--weights", description = "also write every checkpoint's weights as "
            + "<RUN_ID>-epoch-<EEEEEE>.npz (six digits) (numpy.load: W1 is (N, 2p), W2 is (p, N), float32, the paper's layout)")
    private boolean weights;

    @Override
    public Integer call() throws IOException {
        Path dir = out != null ? out : Path.of("export", runId);
        Path curve = dir.resolve(runId + "-curve.csv");
        Path analyses = dir.resolve(runId + "-analysis.jsonl");
        Path detections = dir.resolve(runId + "-detections.jsonl");
        Path provenance = dir.resolve(runId + "-provenance.jsonl");
        Path specFile = dir.resolve(runId + "-spec.conf");
        Path splitFile = dir.resolve(runId + "-split.csv");
        int checkpoints = 0;
        try (RunSystem n = node.openExisting(ConfigFactory.load())) {
            NodeOptions.requireRun(n, runId);
            List<RunEvent> events = n.events(runId);
            OutputPaths.directory(dir, "--out");
            for (RunEvent e : events) {
                if (e instanceof RunStarted s) {
                    // the spec with its seeds, so the run can be rebuilt, or retrained with grokscope run
                    Files.writeString(specFile, "# grokscope export of run " + runId + ", started by code version "
                            + s.codeVersion() + "\n" + rebuild(s.spec()) + RunSpecs.render(s.spec()) + "\n");
                    writeSplit(splitFile, s.spec());
                }
                if (weights && e instanceof CheckpointSaved c) {
                    Npy.writeNpz(dir.resolve(String.format(Locale.ROOT, "%s-epoch-%06d.npz", runId, c.epoch())),
                            new Npy.Array("W1", c.width(), 2 * c.p(), c.w1()),
                            new Npy.Array("W2", c.p(), c.width(), c.w2()));
                    checkpoints++;
                }
            }
            try (CurveWriter w = CurveWriter.open(curve)) {
                for (RunEvent e : events) {
                    if (e instanceof EpochCompleted ec) {
                        w.write(ec.metrics());
                    }
                }
            }
            try (BufferedWriter w = Files.newBufferedWriter(provenance)) {
                // which build and which backend computed which epochs
                for (RunEvent e : events) {
                    if (e instanceof RunStarted s) {
                        w.write(String.format(Locale.ROOT, "{\"run\":\"%s\",\"kind\":\"run-started\",\"code\":\"%s\","
                                + "\"started_at_ms\":%d}", runId, json(s.codeVersion()), s.startedAtMillis()));
                        w.newLine();
                    } else if (e instanceof TrainingSessionStarted t) {
                        w.write(String.format(Locale.ROOT, "{\"run\":\"%s\",\"kind\":\"training-session\",\"after_epoch\":%d,"
                                + "\"code\":\"%s\",\"backend\":\"%s\",\"device\":\"%s\",\"lanes\":%d,\"threads\":%d}", runId,
                                t.epoch(), json(t.codeVersion()), json(t.backend()), json(t.device()), t.lanes(), t.threads()));
                        w.newLine();
                    }
                }
            }
            try (BufferedWriter w = Files.newBufferedWriter(analyses)) {
                for (AnalysisRecorded a : n.analyses(runId)) {
                    w.write(AnalysisJson.row(runId, a.epoch(), a.analyzers(), a.version(), a.parameters(),
                            CheckpointAnalysis.unflatten(a.names(), a.values())));
                    w.newLine();
                }
            }
            try (BufferedWriter w = Files.newBufferedWriter(detections)) {
                for (DetectorEvent d : n.detections(runId)) {
                    if (d instanceof GrokkingDetected g) {
                        w.write(String.format(Locale.ROOT,
                                "{\"run\":\"%s\",\"kind\":\"grokking-detected\",\"t_fit\":%d,\"t_onset\":%d,\"t_grok\":%d}",
                                runId, g.tFit(), g.tOnset(), g.tGrok()));
                    } else if (d instanceof PrecursorDetected p) {
                        w.write(String.format(Locale.ROOT, "{\"run\":\"%s\",\"kind\":\"%s\",\"epoch\":%d}", runId,
                                p.kind(), p.epoch()));
                    }
                    w.newLine();
                }
            }
        }
        command.commandLine().getOut().println("wrote " + curve + ", " + analyses + ", " + detections + ", "
                + provenance + ", " + specFile + " and " + splitFile
                + (weights ? "; the weights of " + checkpoints + " checkpoints as " + runId + "-epoch-<EEEEEE>.npz" : ""));
        command.commandLine().getOut().flush();
        return 0;
    }

    /**
     * Every pair of the run's dataset with its label and its part of the split, in (n, m) order:
     * what the run trained and was tested on, without reimplementing the seeded shuffle.
     */
    private static void writeSplit(Path file, RunSpec spec) throws IOException {
        Split split = Split.of(spec);
        int p = spec.p();
        // a pair's key n·p + m is unique, and some tasks (div) leave pairs out
        String[] rows = new String[p * p];
        for (boolean train : new boolean[] {true, false}) {
            Dataset d = train ? split.train() : split.test();
            for (int i = 0; i < d.size(); i++) {
                rows[d.n()[i] * p + d.m()[i]] = d.n()[i] + "," + d.m()[i] + "," + d.q()[i] + "," + (train ? "train" : "test");
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("n,m,label,set");
            w.newLine();
            for (String row : rows) {
                if (row != null) {
                    w.write(row);
                    w.newLine();
                }
            }
        }
    }

    /**
     * For a saved analytic solution, whose optimizer 'analytic' no run can train: the command that
     * writes the same weights again.
     */
    private static String rebuild(RunSpec spec) {
        if (spec.optimizer().kind() != org.grokscope.protocol.OptimizerKind.ANALYTIC) {
            return "";
        }
        return String.format(Locale.ROOT, "# analytic weights, not trained: grokscope analytic --task \"%s\" --p %d "
                + "--widths %d --activation %s --seeds 1 --seed %d --alpha %s --split-seed %d --parametrization %s "
                + "--loss %s --save NEW_ID writes them again (with the readout and W1 amplitude they were saved with)%n",
                spec.task(), spec.p(), spec.width(), spec.activation().specName(), spec.initSeed(), spec.alpha(),
                spec.splitSeed(), spec.parametrization().specName(), spec.loss().specName());
    }

    private static String json(String text) {
        return text == null ? "" : text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
