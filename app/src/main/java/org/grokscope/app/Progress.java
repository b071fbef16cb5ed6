package org.grokscope.app;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.grokscope.protocol.EpochMetrics;

/**
 * The live view of a run: a progress bar (epoch, epochs/s, ETA, accuracies and losses) on a
 * terminal, or a plain line every few seconds when stderr is a file or a pipe.
 */
interface Progress extends AutoCloseable {
    void update(EpochMetrics m, EpochMetrics lastEvaluated);

    @Override
    void close();

    static Progress none() {
        return new Progress() {
            @Override
            public void update(EpochMetrics m, EpochMetrics lastEvaluated) {
            }

            @Override
            public void close() {
            }
        };
    }

    static Progress create(PrintWriter err, AppSettings settings, int epochs) {
        boolean terminal = System.console() != null;
        long interval = (terminal ? settings.progressInterval() : settings.plainInterval()).toMillis();
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName("train")
                .setInitialMax(epochs)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis((int) interval)
                .showSpeed()
                .setUnit(" ep", 1)
                .setConsumer(new DelegatingProgressBarConsumer(line -> {
                    err.print(terminal ? "\r" + line : line + System.lineSeparator());
                    err.flush();
                }, 100))
                .build();
        return new Progress() {
            @Override
            public void update(EpochMetrics m, EpochMetrics lastEvaluated) {
                bar.stepTo(m.epoch());
                if (lastEvaluated != null) {
                    // the library joins the message to the speed without a space
                    bar.setExtraMessage(String.format(Locale.ROOT, " train %.3f/%.2e test %.3f/%.2e",
                            m.trainAccuracy(), m.trainLoss(), lastEvaluated.testAccuracy(), lastEvaluated.testLoss()));
                }
            }

            @Override
            public void close() {
                bar.close();
                if (terminal) {
                    err.println();
                    err.flush();
                }
            }
        };
    }
}
