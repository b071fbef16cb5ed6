package org.grokscope.app;

import java.util.Locale;
import java.util.Map;

/**
 * One JSONL row of checkpoint analyses, in the one schema both {@code export} (the live
 * analyzers' journaled results) and {@code replay} (recomputed) write, so a script reads either:
 * run, epoch, analyzers, version, parameters, then each result, counts as integer arrays.
 */
final class AnalysisJson {
    private AnalysisJson() {
    }

    static String row(String runId, int epoch, String analyzers, int version, String parameters,
                      Map<String, Object> results) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "{\"run\":\"%s\",\"epoch\":%d,\"analyzers\":\"%s\",\"version\":%d,\"parameters\":\"%s\"",
                runId, epoch, analyzers, version, parameters));
        for (Map.Entry<String, Object> e : results.entrySet()) {
            b.append(",\"").append(e.getKey()).append("\":").append(value(e.getValue()));
        }
        return b.append('}').toString();
    }

    /** A finite number as the CSV files write it (integers as integers); null for NaN or infinity. */
    static String value(Object v) {
        if (v instanceof int[] a) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < a.length; i++) {
                b.append(i == 0 ? "" : ",").append(a[i]);
            }
            return b.append(']').toString();
        }
        if (v instanceof Integer || v instanceof Long) {
            return v.toString();
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? CurveWriter.num(d) : "null";
        }
        return "\"" + v + "\"";
    }
}
