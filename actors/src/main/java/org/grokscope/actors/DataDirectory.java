package org.grokscope.actors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory that holds a node's journal and snapshots, locked for one process at a time
 * (LevelDB allows no more). The lock file also names the holder's pid, so a second process can
 * say who has it instead of failing with a LevelDB stack trace.
 */
public final class DataDirectory implements AutoCloseable {
    private final Path root;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel channel, FileLock lock) {
        this.root = root;
        this.channel = channel;
        this.lock = lock;
    }

    /** A user-facing problem with the data directory; the message is one complete line. */
    public static final class DataDirectoryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DataDirectoryException(String message) {
            super(message, null, false, false);
        }
    }

    public static DataDirectory open(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataDirectoryException("data directory " + dir + " cannot be created: " + reason(e));
        }
        if (!Files.isWritable(dir)) {
            throw new DataDirectoryException("data directory " + dir + " is not writable; choose another with --data");
        }
        Path lockFile = dir.resolve("grokscope.lock");
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new DataDirectoryException("data directory " + dir + " is not usable: " + reason(e));
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = holder(lockFile);
                channel.close();
                throw new DataDirectoryException("data directory " + dir + " is in use by another grokscope process"
                        + holder + "; wait for it, press Ctrl-C in it to pause its runs, or use another --data");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
            removeUnfinishedSnapshots(dir.resolve("snapshots"));
            return new DataDirectory(dir, channel, lock);
        } catch (OverlappingFileLockException e) {
            throw new DataDirectoryException("data directory " + dir + " is already open in this process");
        } catch (IOException e) {
            throw new DataDirectoryException("data directory " + dir + " cannot be locked: " + reason(e));
        }
    }

    /** Pekko's name for a snapshot being written: the final name with "tmp" appended, no dot. */
    private static final Pattern UNFINISHED_SNAPSHOT = Pattern.compile("snapshot-.+-\\d+-\\d+tmp");

    /**
     * Pekko's local snapshot store writes each snapshot to {@code snapshot-<id>-<seq>-<time>tmp}
     * and renames it when complete; a process killed in between leaves the temporary file, which no later
     * process reads or removes (one per kill, as large as a checkpoint). Called under the lock,
     * so no other process can be writing one.
     */
    private static void removeUnfinishedSnapshots(Path snapshots) {
        if (!Files.isDirectory(snapshots)) {
            return;
        }
        try (Stream<Path> files = Files.list(snapshots)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (UNFINISHED_SNAPSHOT.matcher(f.getFileName().toString()).matches()) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            // only disk space is at stake; the snapshot store ignores these files
        }
    }

    private static String holder(Path lockFile) {
        try {
            String pid = Files.readString(lockFile).strip();
            return pid.isEmpty() ? "" : " (pid " + pid + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static String reason(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    public Path root() {
        return root;
    }

    public Path journal() {
        return root.resolve("journal");
    }

    public Path snapshots() {
        return root.resolve("snapshots");
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the OS drops the lock with the process anyway
        }
    }
}
