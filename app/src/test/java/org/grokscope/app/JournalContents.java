package org.grokscope.app;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.grokscope.actors.FaultHook;
import org.grokscope.actors.RunSummary;
import org.grokscope.actors.RunSystem;

/**
 * What a data directory holds, read through the journal: per run its status, epoch and the number
 * of run, analysis and detection events, plus the alerts file. Tests of rejected commands take it
 * before and after, since "nothing written to the journal" is about events, not about the files
 * LevelDB rewrites whenever it is opened.
 */
final class JournalContents {
    private JournalContents() {
    }

    static Map<String, String> of(Path data) throws Exception {
        Map<String, String> contents = new TreeMap<>();
        try (RunSystem node = RunSystem.open(data, ConfigFactory.load(), 1, "test", FaultHook.NONE)) {
            for (String id : node.runIds()) {
                RunSummary s = node.summary(id);
                contents.put(id, s.status() + " epoch " + s.epoch() + ", " + node.events(id).size() + " run events, "
                        + node.analyses(id).size() + " analyses, " + node.detections(id).size() + " detections");
            }
        }
        Path alerts = data.resolve("alerts.jsonl");
        contents.put("alerts.jsonl", Files.exists(alerts) ? Files.readString(alerts) : "(none)");
        return contents;
    }
}
