package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Malformed specs and flags: each must end with exit code 2, exactly one line on stderr that
 * names the offending field, no stack trace, and no curve written.
 */
class BadInputTest {
    @TempDir
    static Path dir;

    static Stream<Arguments> cases() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.conf"), "task = add\np = { 97\n");
        Path unknownKey = Files.writeString(dir.resolve("typo.conf"), "task = add\nlearning-rate = 3\n");
        Path groupAsValue = Files.writeString(dir.resolve("group.conf"), "optimizer = 3\n");
        Path nullValue = Files.writeString(dir.resolve("null.conf"), "backend = null\n");
        Path badType = Files.writeString(dir.resolve("type.conf"), "width = [1, 2]\n");
        Path badExpr = Files.writeString(dir.resolve("expr.conf"), "task = \"3*n^2 + * m\"\n");
        Path directory = Files.createDirectories(dir.resolve("a-directory.conf"));
        Path unresolved = Files.writeString(dir.resolve("unresolved.conf"), "width = ${nowhere}\n");
        return Stream.of(
                Arguments.of("p below 2", List.of("--p", "1"), "p:", "[2, 4096]"),
                Arguments.of("p not a number", List.of("--p", "abc"), "p:", "must be an integer in [2, 4096], got 'abc'"),
                Arguments.of("p not whole", List.of("--p", "11.5"), "p:", "must be an integer in [2, 4096], got 11.5"),
                Arguments.of("epochs beyond int", List.of("--epochs", "99999999999"), "epochs:",
                        "[1, 1000000000], got 99999999999"),
                Arguments.of("seed beyond long", List.of("--split-seed", "99999999999999999999"), "split-seed:",
                        "got 99999999999999999999"),
                Arguments.of("seed not whole", List.of("--init-seed", "1.9"), "init-seed:", "got 1.9"),
                Arguments.of("more memory than the heap", List.of("--p", "4096", "--width", "65536"), "width:",
                        "GiB of memory"),
                Arguments.of("alpha zero", List.of("--alpha", "0"), "alpha:", "(0, 1)"),
                Arguments.of("alpha above one", List.of("--alpha", "1.5"), "alpha:", "(0, 1)"),
                Arguments.of("width zero", List.of("--width", "0"), "width:", "[1, 65536]"),
                Arguments.of("unknown task", List.of("--task", "addd"), "task:", "add"),
                Arguments.of("expression syntax", List.of("--task", "3*n^ + m"), "task:", "column 6"),
                Arguments.of("expression in file", List.of(badExpr.toString()), "task:", "column 9"),
                Arguments.of("div with composite p", List.of("--task", "div", "--p", "12"), "task:", "prime"),
                Arguments.of("negative lr", List.of("--lr", "-0.1"), "optimizer.lr:", "> 0"),
                Arguments.of("unknown optimizer", List.of("--optimizer", "sgdx"), "optimizer.type:", "gd, adamw"),
                Arguments.of("analytic is not trainable", List.of("--optimizer", "analytic"), "optimizer.type:", "allowed: gd, adamw"),
                Arguments.of("unknown activation", List.of("--activation", "swish"), "activation:", "quad"),
                Arguments.of("unknown loss", List.of("--loss", "hinge"), "loss:", "mse, cse"),
                Arguments.of("unknown backend", List.of("--backend", "tpu"), "backend:", "cpu"),
                Arguments.of("zero epochs", List.of("--epochs", "0"), "epochs:", "[1,"),
                Arguments.of("eval-every zero", List.of("--eval-every", "0"), "eval-every:", "[1,"),
                Arguments.of("gd's coupled decay at lr*wd = 2", List.of("--optimizer", "gd", "--lr", "100",
                        "--weight-decay", "0.02"), "optimizer.weight-decay:", "[0, 1/lr) = [0, 0.01), got 0.02 at lr 100"),
                Arguments.of("momentum one", List.of("--optimizer", "gd", "--momentum", "1"), "optimizer.momentum:", "[0, 1)"),
                Arguments.of("beta2 one", List.of("--beta2", "1"), "optimizer.beta2:", "[0, 1)"),
                Arguments.of("eps zero in float32", List.of("--eps", "1e-50"), "optimizer.eps:", "smallest normal float32"),
                Arguments.of("nesterov with adamw", List.of("--nesterov"), "optimizer.nesterov:", "gd"),
                Arguments.of("missing file", List.of(dir.resolve("nope.conf").toString()), "spec:", "not found"),
                Arguments.of("spec is a directory", List.of(directory.toString()), "spec:", "not a readable file"),
                Arguments.of("unparsable HOCON", List.of(broken.toString()), "spec:", "cannot parse"),
                Arguments.of("unknown spec field", List.of(unknownKey.toString()), "learning-rate:", "unknown field"),
                Arguments.of("a field group given a value", List.of(groupAsValue.toString()), "optimizer:",
                        "must be an object of fields (optimizer.beta1"),
                Arguments.of("null for a field", List.of(nullValue.toString()), "backend:", "is null; give"),
                Arguments.of("wrong type in file", List.of(badType.toString()), "width:", "must be an integer in [1, 65536]"),
                Arguments.of("unresolvable substitution", List.of(unresolved.toString()), "spec:", "cannot parse"),
                Arguments.of("bad --set", List.of("--set", "no-equals-sign"), "--set:", "path=value"),
                Arguments.of("flag and --set disagree", List.of("--p", "13", "--set", "p=17"), "p:", "given twice"),
                Arguments.of("two --set disagree", List.of("--set", "optimizer.lr=0.1", "--set", "optimizer.lr=0.2"),
                        "optimizer.lr:", "given twice"),
                Arguments.of("adamw's beta1 with gd", List.of("--optimizer", "gd", "--beta1", "0.5"), "optimizer.beta1:",
                        "adamw only"),
                Arguments.of("adamw's eps with gd via --set", List.of("--optimizer", "gd", "--set", "optimizer.eps=1e-6"),
                        "optimizer.eps:", "adamw only"),
                Arguments.of("zero threads", List.of("--threads", "0"), "--threads:", "[1, 1024]"),
                Arguments.of("unknown flag", List.of("--frobnicate", "3"), "--frobnicate", "Unknown option"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectedWithOneLineNamingTheField(String name, List<String> args, String field, String detail) {
        Path csv = dir.resolve(name.replace(' ', '-') + ".csv");
        List<String> argv = new ArrayList<>(List.of("train", "--no-progress", "--out", csv.toString()));
        argv.addAll(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));

        int code = cl.execute(argv.toArray(String[]::new));

        String text = err.toString();
        assertEquals(Main.USER_ERROR, code, () -> "exit code; stderr: " + text);
        List<String> lines = text.lines().toList();
        assertEquals(1, lines.size(), () -> "one line expected: " + text);
        assertTrue(lines.get(0).contains(field), () -> "names the field " + field + ": " + text);
        assertTrue(lines.get(0).contains(detail), () -> "says " + detail + ": " + text);
        assertFalse(text.contains("Exception") || text.contains("\tat "), () -> "no stack trace: " + text);
        assertEquals("", out.toString(), "nothing on stdout");
        assertFalse(Files.exists(csv), "no curve written");
    }
}
