package org.grokscope.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.BackendKind;
import org.grokscope.protocol.LossKind;
import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.OptimizerSpec;
import org.grokscope.protocol.Parametrization;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The onset detector end to end: a grokking run alerts once per finding, to alerts.jsonl and a
 * webhook on a local server; a dead webhook harms nothing; a run that never groks raises no
 * GrokkingDetected; pausing and resuming neither loses nor repeats an alert.
 */
class AlertsTest {
    @TempDir
    Path dir;

    static RunSpec groks(double alpha, int epochs) {
        return new RunSpec("add", 23, alpha, 1, 1, 128, Activation.QUAD, Parametrization.MEAN_FIELD, LossKind.MSE,
                new OptimizerSpec(OptimizerKind.ADAMW, 0.01, 0, false, 1.0, 0.9, 0.98, 1e-8), epochs, 0, 1, 50,
                BackendKind.CPU);
    }

    /**
     * Plain GD on add mod 23 at a large step: it fits at epoch 162, its test loss rises into a
     * maximum at 165 and falls, the rise of test accuracy starts at 262 and it groks at 373. (The
     * AdamW run above has no test-loss peak after t_fit: its test loss falls straight through.)
     */
    static RunSpec groksAfterALossPeak(int epochs) {
        return new RunSpec("add", 23, 0.8, 1, 1, 128, Activation.QUAD, Parametrization.MEAN_FIELD, LossKind.MSE,
                new OptimizerSpec(OptimizerKind.GD, 400, 0, false, 0, 0.9, 0.98, 1e-8), epochs, 0, 1, 50,
                BackendKind.CPU);
    }

    private static Config webhook(String url) {
        return ConfigFactory.parseString("grokscope.alerts { webhook = \"" + url + "\", retries = 2, backoff = 50ms,"
                + " timeout = 1s }").withFallback(ConfigFactory.load());
    }

    private static List<String> alerts(Path data) throws IOException {
        Path file = data.resolve("alerts.jsonl");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    private static int epochOf(List<String> lines, String kind, String field) {
        String line = lines.stream().filter(l -> l.contains("\"kind\":\"" + kind + "\"")).findFirst().orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\":(\\d+)").matcher(line);
        assertTrue(m.find(), line);
        return Integer.parseInt(m.group(1));
    }

    private static void awaitAlert(Path data, String kind) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (alerts(data).stream().noneMatch(l -> l.contains("\"kind\":\"" + kind + "\""))) {
            assertTrue(System.currentTimeMillis() < deadline, "no " + kind + " alert: " + alerts(data));
            Thread.sleep(50);
        }
    }

    private static void finish(RunSystem node, String id, RunSpec spec) throws InterruptedException {
        Runs.startAndAwait(node, List.of(id), List.of(spec), Duration.ofSeconds(120));
        node.<Integer>ask(RunSupervisor.WhenDetectorsDone::new);
    }

    @Test
    void webhookReceivesTheOnsetAlert() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        Path data = dir.resolve("up");
        try (RunSystem node = RunSystem.open(data, webhook("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
                1, "test", FaultHook.NONE)) {
            finish(node, "g", groks(0.8, 400));
            long deadline = System.currentTimeMillis() + 10_000;
            while (received.stream().noneMatch(b -> b.contains("grokking-detected"))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            server.stop(0);
        }
        assertTrue(received.stream().anyMatch(b -> b.contains("\"kind\":\"grokking-detected\"")), received.toString());
        assertTrue(received.stream().anyMatch(b -> b.contains("ipr-acceleration")), received.toString());
        List<String> lines = alerts(data);
        for (String kind : new String[] {"grokking-detected", "ipr-acceleration"}) {
            assertEquals(1, lines.stream().filter(l -> l.contains("\"kind\":\"" + kind + "\"")).count(),
                    kind + " once: " + lines);
        }
        // this run's test loss falls straight through t_fit: there is no peak to report
        assertEquals(0, lines.stream().filter(l -> l.contains("test-loss-peak")).count(), lines.toString());
        int acceleration = epochOf(lines, "ipr-acceleration", "epoch");
        int onset = epochOf(lines, "grokking-detected", "t_onset");
        assertTrue(acceleration < onset, "the IPR precursor comes before the onset: " + lines);
    }

    /**
     * Resuming an ended run under new analyzer parameters recomputes every checkpoint with them,
     * but the IPR precursor, raised once for the run, is not raised again.
     */
    @Test
    void newAnalyzerParametersRecomputeWithoutRepeatingThePrecursor() throws Exception {
        Path data = dir.resolve("params");
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            finish(node, "g", groks(0.8, 400));
            assertTrue(!node.followersBehind("g"), "the followers have read all of a run that ended normally");
        }
        assertEquals(1, alerts(data).stream().filter(l -> l.contains("ipr-acceleration")).count(), alerts(data).toString());
        Config bins = ConfigFactory.parseString("grokscope.analyzers.phases.bins = 72").withFallback(ConfigFactory.load());
        try (RunSystem node = RunSystem.open(data, bins, 1, "test", FaultHook.NONE)) {
            int before = node.analyses("g").size();
            node.catchUp("g");
            List<org.grokscope.protocol.events.AnalysisRecorded> all = node.analyses("g");
            assertEquals(2 * before, all.size(), "every checkpoint analysed again under the new parameters");
            assertTrue(all.get(all.size() - 1).parameters().contains("phases.bins=72"), all.get(all.size() - 1).parameters());
            assertEquals(1, node.detections("g").stream()
                    .filter(d -> d instanceof org.grokscope.protocol.events.PrecursorDetected p
                            && p.kind().equals(org.grokscope.protocol.events.PrecursorDetected.IPR_ACCELERATION)).count(),
                    node.detections("g").toString());
        }
        assertEquals(1, alerts(data).stream().filter(l -> l.contains("ipr-acceleration")).count(), alerts(data).toString());
    }

    /**
     * A process killed between journaling a finding and appending its alert leaves the journal
     * with the finding and alerts.jsonl without it. The followers, started again (here by the
     * catch-up that `resume` and a sweep rerun do), deliver it; alerts already there are not
     * repeated, and a second start delivers nothing more.
     */
    @Test
    void aFindingJournaledButNeverAlertedIsDeliveredWhenTheFollowersStartAgain() throws Exception {
        Path data = dir.resolve("crash");
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            finish(node, "g", groks(0.8, 400));
        }
        List<String> before = alerts(data);
        assertEquals(1, before.stream().filter(l -> l.contains("grokking-detected")).count(), before.toString());
        // 8 checkpoint analyses and the precursor: 2 × 4 + 1 events, the count at which one
        // open-ended current query never completes when the query buffer holds 4
        Config smallBuffer = ConfigFactory.parseString("pekko.persistence.query.journal.leveldb.max-buffer-size = 4\n"
                + "grokscope.supervisor.catch-up-timeout = 60s").withFallback(ConfigFactory.load());
        assertEquals(1, before.stream().filter(l -> l.contains("ipr-acceleration")).count(), before.toString());
        // the kill -9 landed after both findings were journaled and before their lines were written
        Files.write(data.resolve("alerts.jsonl"), before.stream()
                .filter(l -> !l.contains("\"run\":\"g\"")).toList());

        try (RunSystem node = RunSystem.open(data, smallBuffer, 1, "test", FaultHook.NONE)) {
            assertEquals(9, node.analyses("g").size() + 1, "the analyzer's journal, precursor included");
            assertEquals(2, node.undeliveredAlerts("g"));
            assertTrue(node.followersBehind("g"), "an undelivered alert counts as followers behind");
            assertEquals(0, node.catchUp("g"), "nothing new to journal");
            assertEquals(0, node.undeliveredAlerts("g"));
        }
        List<String> after = alerts(data);
        for (String kind : new String[] {"grokking-detected", "ipr-acceleration"}) {
            assertEquals(1, after.stream().filter(l -> l.contains("\"kind\":\"" + kind + "\"")).count(), after.toString());
        }
        assertEquals(epochOf(before, "grokking-detected", "t_onset"), epochOf(after, "grokking-detected", "t_onset"));
        assertEquals(epochOf(before, "ipr-acceleration", "epoch"), epochOf(after, "ipr-acceleration", "epoch"));

        try (RunSystem node = RunSystem.open(data, smallBuffer, 1, "test", FaultHook.NONE)) {
            assertTrue(!node.followersBehind("g"));
            node.catchUp("g");
        }
        assertEquals(after, alerts(data), "a second start repeats nothing");
    }

    /**
     * With checkpoints every 120 epochs the IPR of this run first accelerates between 240 and 360,
     * after it grokked (t_grok 324): that is the jump itself, not a precursor of it, so no alert.
     */
    @Test
    void noIprPrecursorOnceTheRunHasGrokked() throws Exception {
        Path data = dir.resolve("late");
        RunSpec coarse = new RunSpec("add", 23, 0.8, 1, 1, 128, Activation.QUAD, Parametrization.MEAN_FIELD,
                LossKind.MSE, new OptimizerSpec(OptimizerKind.ADAMW, 0.01, 0, false, 1.0, 0.9, 0.98, 1e-8), 600, 0, 1,
                120, BackendKind.CPU);
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            finish(node, "late", coarse);
            assertTrue(node.summary("late").tGrok() > 0 && node.summary("late").tGrok() < 360,
                    "grokked before the checkpoint at 360: " + node.summary("late").tGrok());
            assertEquals(5, node.analyses("late").size());
            assertTrue(node.detections("late").stream().noneMatch(
                    d -> d instanceof org.grokscope.protocol.events.PrecursorDetected p
                            && p.kind().equals(org.grokscope.protocol.events.PrecursorDetected.IPR_ACCELERATION)),
                    node.detections("late").toString());
        }
        List<String> lines = alerts(data);
        assertEquals(1, lines.stream().filter(l -> l.contains("grokking-detected")).count(), lines.toString());
        assertEquals(0, lines.stream().filter(l -> l.contains("ipr-acceleration")).count(), lines.toString());
    }

    /** An alert raised just before exit still gets its retries: close waits for them. */
    @Test
    void closeWaitsForWebhookRetriesUnderWay() throws Exception {
        List<String> delivered = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            // the endpoint is down for the first two attempts
            boolean up = attempts.incrementAndGet() > 2;
            if (up) {
                delivered.add(body);
            }
            exchange.sendResponseHeaders(up ? 204 : 503, -1);
            exchange.close();
        });
        server.start();
        try {
            AlertSink sink = new AlertSink(dir, webhook("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"));
            sink.publish("last", new org.grokscope.protocol.events.PrecursorDetected("last", "last-words", 7));
            sink.close();
        } finally {
            server.stop(0);
        }
        assertEquals(3, attempts.get(), "two failures and the retry that got through, all before close returned");
        assertEquals(1, delivered.size(), delivered.toString());
        assertTrue(delivered.get(0).contains("\"run\":\"last\",\"kind\":\"last-words\",\"epoch\":7"),
                delivered.toString());
    }

    @Test
    void deadWebhookHarmsNothing() throws Exception {
        HttpServer closed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = closed.getAddress().getPort();
        closed.stop(0);
        Path data = dir.resolve("down");
        try (RunSystem node = RunSystem.open(data, webhook("http://127.0.0.1:" + port + "/hook"), 1, "test",
                FaultHook.NONE)) {
            finish(node, "g", groks(0.8, 400));
            assertEquals(RunStatus.COMPLETED, node.summary("g").status());
        }
        assertTrue(alerts(data).stream().anyMatch(l -> l.contains("grokking-detected")), alerts(data).toString());
    }

    @Test
    void noGrokkingNoAlert() throws Exception {
        Path data = dir.resolve("never");
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            finish(node, "n", groks(0.1, 400));
            assertEquals(RunStatus.COMPLETED, node.summary("n").status());
        }
        assertTrue(alerts(data).stream().noneMatch(l -> l.contains("grokking-detected")), alerts(data).toString());
    }

    /**
     * The run is paused between its test-loss peak (165) and its onset (262), so the grokking
     * alert can only come from the resumed session (lose), then resumed once more after it, when
     * nothing may come twice (repeat). The first session's epochs after 170 are slowed to 20 ms so
     * the pause lands in that window on any host.
     */
    @Test
    void pauseAndResumeNeitherLoseNorRepeatAlerts() throws Exception {
        Path data = dir.resolve("resume");
        RunSpec spec = groksAfterALossPeak(100_000);
        FaultHook slowAfterThePeak = (runId, epoch) -> {
            if (epoch > 170) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", slowAfterThePeak)) {
            node.<Trainer.Reply>ask(r -> new RunSupervisor.StartRun("r", spec, r));
            awaitAlert(data, "test-loss-peak");
            node.<Trainer.Reply>ask(r -> new RunSupervisor.PauseRun("r", r));
            node.<Integer>ask(RunSupervisor.WhenDetectorsDone::new);
            assertTrue(node.summary("r").epoch() < 262, "paused before the onset: " + node.summary("r").epoch());
        }
        assertTrue(alerts(data).stream().noneMatch(l -> l.contains("grokking-detected")), alerts(data).toString());
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            node.<Trainer.Reply>ask(r -> new RunSupervisor.StartRun("r", null, r));
            awaitAlert(data, "grokking-detected");
            node.<Trainer.Reply>ask(r -> new RunSupervisor.PauseRun("r", r));
            node.<Integer>ask(RunSupervisor.WhenDetectorsDone::new);
        }
        int paused;
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            paused = node.summary("r").epoch();
            node.<Trainer.Reply>ask(r -> new RunSupervisor.StartRun("r", null, r));
            long deadline = System.currentTimeMillis() + 60_000;
            while (node.summary("r").epoch() <= paused + 100) {
                assertTrue(System.currentTimeMillis() < deadline, "the third session trains");
                Thread.sleep(100);
            }
            node.<Trainer.Reply>ask(r -> new RunSupervisor.StopRun("r", r));
            node.<Integer>ask(RunSupervisor.WhenDetectorsDone::new);
        }
        List<String> lines = alerts(data);
        assertEquals(1, lines.stream().filter(l -> l.contains("grokking-detected")).count(), lines.toString());
        assertEquals(1, lines.stream().filter(l -> l.contains("test-loss-peak")).count(), lines.toString());
    }
}
