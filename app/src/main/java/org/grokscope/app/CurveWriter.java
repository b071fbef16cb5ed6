package org.grokscope.app;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.SpecException;

/** Writes a run's per-epoch metrics as CSV; unevaluated test columns are left empty. */
final class CurveWriter implements AutoCloseable {
    static final String HEADER =
            "epoch,train_loss,train_acc,test_loss,test_acc,w1_norm,w2_norm,grad_w1_norm,grad_w2_norm";

    private final BufferedWriter out;
    private final Path csv;

    private CurveWriter(BufferedWriter out, Path csv) {
        this.out = out;
        this.csv = csv;
    }

    /** Opens {@code csv} and writes its header to disk, so a file that cannot be written fails before any training. */
    static CurveWriter open(Path csv) {
        if (Files.isDirectory(csv)) {
            throw new SpecException("--out", csv + " is a directory; name a .csv file");
        }
        OutputPaths.parentOf(csv, "--out");
        try {
            BufferedWriter w = Files.newBufferedWriter(csv);
            w.write(HEADER);
            w.newLine();
            w.flush();
            return new CurveWriter(w, csv);
        } catch (IOException e) {
            throw new SpecException("--out", "cannot write " + csv + ": " + OutputPaths.reason(e));
        }
    }

    /**
     * Appends one row; a disk that fills up mid-run is a one-line error naming the file (exit 1:
     * the machine's trouble, not bad input), not a stack trace.
     */
    void write(EpochMetrics m) {
        try {
            writeRow(m);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + csv + ": " + OutputPaths.reason(e), e);
        }
    }

    private void writeRow(EpochMetrics m) throws IOException {
        out.write(String.format(Locale.ROOT, "%d,%s,%.6f,%s,%s,%s,%s,%s,%s", m.epoch(), num(m.trainLoss()),
                m.trainAccuracy(), m.evaluated() ? num(m.testLoss()) : "",
                m.evaluated() ? String.format(Locale.ROOT, "%.6f", m.testAccuracy()) : "", num(m.w1Norm()),
                num(m.w2Norm()), num(m.grad1Norm()), num(m.grad2Norm())));
        out.newLine();
        // a row at a time: Ctrl-C or a crash leaves whole rows, never a buffer cut mid-row
        out.flush();
    }

    /** %.9g, with a diverged run's values as inf, -inf and nan, as numpy and pandas write and read them. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%.9g", v);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
