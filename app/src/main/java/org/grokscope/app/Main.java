package org.grokscope.app;

import java.io.PrintWriter;
import org.grokscope.protocol.SpecException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code grokscope} command line: one subcommand per verb. User errors (bad specs and flags)
 * end as one line on stderr and exit code 2; no stack traces.
 */
@Command(name = "grokscope", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Run, record and understand grokking experiments.",
        subcommands = {TrainCommand.class, RunCommand.class, ResumeCommand.class, RunsCommand.class, StopCommand.class,
            SweepCommand.class, ReplayCommand.class, PlotCommand.class, WatchCommand.class, ExportCommand.class, AnalyticCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int USER_ERROR = 2;
    public static final int FAILURE = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // initialise logging before Pekko's threads log, or SLF4J replays their calls with a warning
        org.slf4j.LoggerFactory.getLogger(Main.class);
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands only Exceptions to the handlers; an Error would end in a stack trace
            System.err.printf(java.util.Locale.ROOT, "error: out of memory (this JVM may use %.1f GiB): lower width, p"
                    + " or --batch, or raise the heap (JAVA_OPTS=-Xmx...)%n", Runtime.getRuntime().maxMemory() / 1073741824.0);
            code = FAILURE;
        }
        System.exit(code);
    }

    /** The configured command line; tests set its writers and call execute. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + oneLine(ex.getMessage()) + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return USER_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof SpecException || ex instanceof org.grokscope.actors.DataDirectory.DataDirectoryException) {
                err.println("error: " + oneLine(ex.getMessage()));
                err.flush();
                return USER_ERROR;
            }
            if (ex instanceof org.grokscope.compute.backend.opencl.OpenClException) {
                err.println("error: " + oneLine(ex.getMessage()));
                err.flush();
                return FAILURE;
            }
            if (ex instanceof org.grokscope.actors.RunSystem.JournalException) {
                err.println("error: " + oneLine(ex.getMessage()));
                err.flush();
                return FAILURE;
            }
            java.io.IOException io = ex instanceof java.io.IOException e ? e
                    : ex instanceof java.io.UncheckedIOException u ? u.getCause() : null;
            if (io != null) {
                // a full disk, a file removed under us: the machine's trouble, told in one line
                err.println("error: " + oneLine(ioFailure(ex, io)));
                err.flush();
                org.slf4j.LoggerFactory.getLogger(Main.class).debug("I/O failure", ex);
                return FAILURE;
            }
            err.println("grokscope failed: " + oneLine(String.valueOf(ex)));
            err.flush();
            org.slf4j.LoggerFactory.getLogger(Main.class).error("unexpected failure", ex);
            return FAILURE;
        });
        return cl;
    }

    /**
     * What an I/O failure says: our own wrappers name the file in their message; a bare exception
     * of the JDK gets its file, if it has one, and its reason.
     */
    private static String ioFailure(Exception ex, java.io.IOException io) {
        if (ex instanceof java.io.UncheckedIOException u && u.getMessage() != null
                && !u.getMessage().equals(String.valueOf(io))) {
            return u.getMessage();
        }
        String file = io instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() + ": " : "";
        return file + OutputPaths.reason(io);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Version from the jar manifest (set by the build). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"grokscope " + CodeVersion.get()};
        }
    }
}
