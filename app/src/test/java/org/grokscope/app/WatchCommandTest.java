package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** watch prints the alerts of a data directory, filtered by run. */
class WatchCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsAlertsOfTheChosenRun() throws Exception {
        Files.writeString(dir.resolve("alerts.jsonl"), "{\"run\":\"a\",\"kind\":\"test-loss-peak\",\"epoch\":5}\n"
                + "{\"run\":\"b\",\"kind\":\"grokking-detected\",\"t_fit\":1,\"t_onset\":2,\"t_grok\":3}\n");
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("watch", "b", "--data", dir.toString(), "--once"));
        assertEquals("{\"run\":\"b\",\"kind\":\"grokking-detected\",\"t_fit\":1,\"t_onset\":2,\"t_grok\":3}",
                out.toString().strip());
    }

    /**
     * Following a run the journal does not hold yet waits for it without opening the journal (its
     * lock would refuse a run started meanwhile); --once refuses an unknown run (VerbBadInputTest).
     */
    @Test
    void followingAnUnknownRunWaitsForIt() throws Exception {
        Path spec = Files.writeString(dir.resolve("s.conf"), "p = 11\nwidth = 16\nepochs = 2\n");
        Path data = dir.resolve("data");
        Cli.Result r = Cli.run("run", spec.toString(), "--id", "r1", "--data", data.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        Files.writeString(data.resolve("alerts.jsonl"), "{\"run\":\"later\",\"kind\":\"test-loss-peak\",\"epoch\":5}\n");
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        Thread watcher = new Thread(() -> cl.execute("watch", "later", "--data", data.toString(), "--poll", "20"));
        watcher.setDaemon(true);
        watcher.start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (!out.toString().contains("test-loss-peak") && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        watcher.interrupt();
        assertTrue(out.toString().contains("watching ") && !out.toString().contains("no run"), out.toString());
        assertTrue(out.toString().contains("\"kind\":\"test-loss-peak\""), out.toString());
    }

    /** Started before the first run: it waits for the directory and prints what then arrives. */
    @Test
    void followsADataDirectoryThatDoesNotExistYet() throws Exception {
        Path later = dir.resolve("later");
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        Thread watcher = new Thread(() -> cl.execute("watch", "--data", later.toString(), "--poll", "20"));
        watcher.setDaemon(true);
        watcher.start();
        Thread.sleep(200);
        Files.createDirectories(later);
        Files.writeString(later.resolve("alerts.jsonl"), "{\"run\":\"a\",\"kind\":\"test-loss-peak\",\"epoch\":5}\n");
        long deadline = System.currentTimeMillis() + 10_000;
        while (!out.toString().contains("test-loss-peak") && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        watcher.interrupt();
        assertTrue(out.toString().contains("does not exist yet"), out.toString());
        assertTrue(out.toString().contains("\"kind\":\"test-loss-peak\""), out.toString());
    }
}
