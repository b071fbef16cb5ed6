package org.grokscope.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The code version recorded with every run (RunStarted, the trained spec's .spec.conf, bench
 * output): the project version and the git commit the build was made from, e.g.
 * {@code 0.1.0-SNAPSHOT+3c54397a1b}, with {@code -dirty} when the working tree had uncommitted
 * changes, so a run can be traced to the exact code. Both come from build.properties, filled in
 * by the build; a build outside a git checkout says {@code +unknown-commit}.
 */
public final class CodeVersion {
    private static final String VERSION = read();

    private CodeVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String read() {
        Properties p = new Properties();
        try (InputStream in = CodeVersion.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource is the same as an unfilled one
        }
        String version = filled(p.getProperty("version"));
        String commit = filled(p.getProperty("commit"));
        boolean dirty = "true".equals(filled(p.getProperty("dirty")));
        return (version == null ? "dev" : version) + "+" + (commit == null ? "unknown-commit" : commit)
                + (dirty ? "-dirty" : "");
    }

    /** Null for a property the build did not fill in (still a ${...} placeholder) or one missing. */
    private static String filled(String value) {
        return value == null || value.isBlank() || value.contains("${") ? null : value.strip();
    }
}
