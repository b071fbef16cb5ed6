package org.grokscope.app;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.grokscope.protocol.SpecException;

/**
 * Output directories of the verbs that write files (plot, replay, analytic --plot), made before
 * any work is done, so a path that is a file or cannot be written is a one-line user error for
 * the option that named it rather than a stack trace at the end.
 */
final class OutputPaths {
    private OutputPaths() {
    }

    /**
     * Makes {@code dir} and its parents and checks that a file can be made in it (by making and
     * deleting one: permission bits do not tell for root, read-only mounts or /proc); {@code field}
     * is the option the error names.
     */
    static Path directory(Path dir, String field) {
        if (dir.toString().isBlank()) {
            // Path.of("") is the working directory: the files would land among the user's own
            throw new SpecException(field, "must not be empty");
        }
        Path made;
        try {
            made = Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new SpecException(field, "cannot create the directory " + dir + ": " + e.getFile()
                    + " exists and is not a directory");
        } catch (IOException e) {
            throw new SpecException(field, "cannot create the directory " + dir + ": " + reason(e));
        } catch (SecurityException e) {
            throw new SpecException(field, "cannot create the directory " + dir + ": " + e.getMessage());
        }
        Path probe;
        try {
            probe = Files.createTempFile(made, ".grokscope-probe", ".tmp");
        } catch (IOException e) {
            throw new SpecException(field, "cannot write in the directory " + dir + ": " + reason(e));
        }
        try {
            Files.delete(probe);
        } catch (IOException e) {
            // writing works, which is what was asked (an append-only directory refuses deletes)
            probe.toFile().deleteOnExit();
        }
        return made;
    }

    /** An I/O failure as a user reads it ("permission denied"), not as a Java class name. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String message = e.getMessage();
        if (e instanceof java.io.FileNotFoundException && message != null && message.endsWith(")")
                && message.contains(" (")) {
            // "path (No such file or directory)": the path is already in our message
            return message.substring(message.lastIndexOf(" (") + 2, message.length() - 1);
        }
        return message != null ? message : e.getClass().getSimpleName();
    }

    /** As {@link #directory} would fail on a path that is or lies under a file, without making anything. */
    static void check(Path dir, String field) {
        boolean nearest = true;
        for (Path up = dir.toAbsolutePath(); up != null; up = up.getParent()) {
            if (Files.exists(up) && !Files.isDirectory(up)) {
                throw new SpecException(field, "directory " + dir + " cannot be created: " + up + " is not a directory");
            }
            if (nearest && Files.isDirectory(up)) {
                // the directory itself, or the one it would be made in (--dry-run opens nothing to find out)
                if (!Files.isWritable(up)) {
                    throw new SpecException(field, (up.equals(dir.toAbsolutePath()) ? "directory " + dir
                            : "directory " + dir + " cannot be created: " + up) + " is not writable");
                }
                nearest = false;
            }
        }
    }

    /** Makes the directory a file will be written to, if it has one. */
    static void parentOf(Path file, String field) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            directory(parent, field);
        }
    }
}
