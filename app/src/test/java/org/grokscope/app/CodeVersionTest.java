package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The recorded code version names the project version and the git commit this build came from. */
class CodeVersionTest {
    @Test
    void versionAndCommitOfThisCheckout() throws IOException, InterruptedException {
        String v = CodeVersion.get();
        assertTrue(v.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\+([0-9a-f]{10}|unknown-commit)(-dirty)?"), v);
        // the tests run inside the checkout the build read: its HEAD is the recorded commit
        Path root = Path.of("").toAbsolutePath().getParent();
        if (Files.isDirectory(root.resolve(".git"))) {
            Process git = new ProcessBuilder("git", "rev-parse", "--short=10", "HEAD").directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, git.waitFor(), head);
            assertTrue(v.contains("+" + head), v + " should name commit " + head);
        }
    }
}
