package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to the verbs other than train (replay, plot, analytic, watch, stop, resume, export,
 * bench): exit code 2, one line naming the option, no stack trace, no data directory made for a
 * --data that holds no journal, and no event added to one that does.
 */
class VerbBadInputTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path aFile;
    static Path sweepFile;
    static Path aDirectoryPng;
    static Path emptySplit;
    static Path emptySplitSweep;

    @BeforeAll
    static void oneRun() throws Exception {
        Path spec = Files.writeString(dir.resolve("s.conf"), "p = 11\nwidth = 16\nepochs = 4\ncheckpoint-every = 2\n");
        data = dir.resolve("data");
        Cli.Result r = Cli.run("run", spec.toString(), "--id", "r1", "--data", data.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        Cli.Result r13 = Cli.run("run", spec.toString(), "--p", "13", "--id", "r13", "--data", data.toString(),
                "--no-progress");
        assertEquals(0, r13.code(), r13.err());
        aFile = Files.writeString(dir.resolve("a-file"), "not a directory");
        aDirectoryPng = Files.createDirectories(dir.resolve("plots.png"));
        sweepFile = Files.writeString(dir.resolve("sw.conf"), "name = v\nbase { p = 11, width = 16, epochs = 4 }\n");
        // 0.005 of 121 pairs is no training pair at all
        emptySplit = Files.writeString(dir.resolve("tiny.conf"), "p = 11\nwidth = 16\nepochs = 4\nalpha = 0.005\n");
        emptySplitSweep = Files.writeString(dir.resolve("tiny-sweep.conf"),
                "name = t\nbase { p = 11, width = 16, epochs = 4 }\ngrid { alpha = [0.5, 0.005] }\n");
        before = JournalContents.of(data);
    }

    static Map<String, String> before;

    /** Every rejected command that named the journal of r1 and r13 left its events as they were. */
    @AfterAll
    static void theJournalIsAsBefore() throws Exception {
        assertEquals(before, JournalContents.of(data));
    }

    static Stream<Arguments> cases() {
        String d = data.toString();
        String missing = dir.resolve("no-such-data").toString();
        return Stream.of(
                Arguments.of(List.of("replay", "r1", "--data", d, "--set", "ffs.foo=1"), "--set:", "ipr.r, phases.bins, ffs.eta"),
                Arguments.of(List.of("replay", "r1", "--data", d, "--set", "ffs.eta=abc"), "ffs.eta:", "must be a number"),
                Arguments.of(List.of("replay", "r1", "--data", d, "--set", "ipr.r=1.5"), "ipr.r:", "integer in [1, 16]"),
                Arguments.of(List.of("replay", "r1", "--data", d, "--set", "phases.bins=2000000000"), "phases.bins:",
                        "[1, 3600]"),
                Arguments.of(List.of("replay", "r1", "--data", d, "--out", aFile.toString()), "--out:", "not a directory"),
                Arguments.of(List.of("plot", "r1", "--data", d, "--out", aFile.toString()), "--out:", "not a directory"),
                Arguments.of(List.of("plot", "r1", "--data", d, "--compare", "nope"), "--compare:", "no run 'nope'"),
                Arguments.of(List.of("plot", "r1", "--data", d, "--class", "11"), "--class:", "[0, 10]"),
                Arguments.of(List.of("plot", "r1", "--data", d, "--class", "-1"), "--class:", "[0, 10]"),
                Arguments.of(List.of("plot", "r1", "--data", d, "--compare", "r1"), "--compare:", "another run"),
                Arguments.of(List.of("plot", "r1", "--data", d, "--compare", "r13"), "--compare:", "same p"),
                Arguments.of(List.of("analytic", "--p", "11", "--widths", "16", "--plot", aDirectoryPng.toString()),
                        "--plot:", "is a directory"),
                Arguments.of(List.of("runs", "--data", ""), "--data:", "must not be empty"),
                Arguments.of(List.of("run", dir.resolve("s.conf").toString(), "--data", ""), "--data:", "must not be empty"),
                Arguments.of(List.of("sweep", sweepFile.toString(), "--dry-run", "--data", missing, "--out",
                        aFile.toString()), "--out:", "not a directory"),
                Arguments.of(List.of("analytic", "--p", "11", "--widths", "16", "--plot", aFile.resolve("x.png").toString()),
                        "--plot:", "not a directory"),
                Arguments.of(List.of("watch", "--poll", "-5", "--data", d), "--poll:", "[10, 60000]"),
                Arguments.of(List.of("watch", "--once", "--data", missing), "--data:", "no data directory"),
                Arguments.of(List.of("watch", "nope", "--once", "--data", d), "RUN_ID:", "no run 'nope'"),
                // only the verbs that train take it; elsewhere it would be silently ignored
                Arguments.of(List.of("runs", "--data", d, "--max-concurrent", "3"), "--max-concurrent", "Unknown option"),
                Arguments.of(List.of("export", "r1", "--data", d, "--max-concurrent", "3"), "--max-concurrent",
                        "Unknown option"),
                Arguments.of(List.of("bench", "--journal", "--timed-epochs", "5"), "--timed-epochs:", "--journal"),
                // output that cannot be written fails before any training, in one line with the reason
                Arguments.of(List.of("train", dir.resolve("s.conf").toString(), "--out", aFile.resolve("x.csv").toString()),
                        "--out:", "not a directory"),
                Arguments.of(List.of("train", dir.resolve("s.conf").toString(), "--out", "/dev/full"), "--out:",
                        "No space left on device"),
                Arguments.of(List.of("export", "r1", "--data", d, "--out", ""), "--out:", "must not be empty"),
                Arguments.of(List.of("train", dir.resolve("s.conf").toString(), "--threads", "100000"), "--threads:",
                        "[1, 1024]"),
                Arguments.of(List.of("analytic", "--p", "11", "--widths", "8", "--seeds", "1000000000"), "--seeds:",
                        "[1, 10000]"),
                Arguments.of(List.of("stop", "r1", "--data", missing), "--data:", "no grokscope journal"),
                Arguments.of(List.of("resume", "r1", "--data", missing), "--data:", "no grokscope journal"),
                Arguments.of(List.of("export", "r1", "--data", missing), "--data:", "no grokscope journal"),
                Arguments.of(List.of("replay", "r1", "--data", missing), "--data:", "no grokscope journal"),
                Arguments.of(List.of("bench", "--backend", "opencl", "--batch", "1000000"), "--batch:", "GiB of host memory"),
                Arguments.of(List.of("run", emptySplit.toString(), "--data", missing), "alpha:", "training set empty"),
                Arguments.of(List.of("sweep", emptySplitSweep.toString(), "--dry-run", "--data", missing), "alpha",
                        "training set empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectedWithOneLineNamingTheOption(List<String> args, String field, String detail) {
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(Main.USER_ERROR, r.code(), () -> "exit code; stderr: " + r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), () -> "one line expected: " + r.err());
        assertTrue(lines.get(0).contains(field), () -> "names " + field + ": " + r.err());
        assertTrue(lines.get(0).contains(detail), () -> "says " + detail + ": " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), () -> "no stack trace: " + r.err());
        assertFalse(Files.exists(dir.resolve("no-such-data")), "no data directory made for a mistyped --data");
    }

    /** A sweep's data directory holds thousands of runs: an unknown id's one line names ten. */
    @Test
    void anUnknownRunNamesAFewOfManyRuns() {
        List<String> ids = java.util.stream.IntStream.range(0, 12).mapToObj(i -> "r" + i).toList();
        String there = NodeOptions.runsThere(ids);
        assertTrue(there.contains("r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, ... (12 in all"), there);
        assertFalse(there.contains("r10") || there.contains("r11"), there);
        assertEquals("; runs there: r0, r1", NodeOptions.runsThere(ids.subList(0, 2)));
        assertEquals(" (it has no runs)", NodeOptions.runsThere(List.of()));
    }

    @Test
    void runsOnAMissingDataDirectorySaysSoAndMakesNothing() {
        Path missing = dir.resolve("not-here");
        Cli.Result r = Cli.run("runs", "--data", missing.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("no runs"), r.out());
        assertFalse(Files.exists(missing));
    }

    @Test
    void substitutionsInASpecFileAreResolved() throws IOException {
        Path spec = Files.writeString(dir.resolve("sub.conf"), "p = 11\nwidth = ${p}\nepochs = 2\n");
        Path csv = dir.resolve("sub.csv");
        Cli.Result r = Cli.run("train", spec.toString(), "--no-progress", "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("N=11"), r.out());
        List<String> spec2 = new ArrayList<>(Files.readAllLines(dir.resolve("sub.spec.conf")));
        assertTrue(spec2.stream().anyMatch(l -> l.replace(" ", "").equals("width=11")), spec2.toString());
        // a flag is laid over the file before its substitutions are resolved, so width follows --p
        Cli.Result flagged = Cli.run("train", spec.toString(), "--p", "13", "--no-progress", "--out",
                dir.resolve("sub13.csv").toString());
        assertEquals(0, flagged.code(), flagged.err());
        assertTrue(flagged.out().contains("N=13"), flagged.out());
    }
}
