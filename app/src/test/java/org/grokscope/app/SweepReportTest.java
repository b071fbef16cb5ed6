package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grokscope.actors.RunSummary;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.RunStatus;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** The sweep report from hand-made run summaries: CSV rows, Markdown tables and the Fig. 4a series. */
class SweepReportTest {
    private static final SweepSpec SWEEP = SweepSpec.fromConfig(ConfigFactory.parseString("""
            name = r
            base { p = 11, width = 8, epochs = 100 }
            grid {
              alpha = [0.3, 0.6]
              seed = [1, 2]
              optimizer { gd { type = gd, lr = 10, epochs = 900 }, adamw { type = adamw, weight-decay = 1 } }
            }
            """));

    /** t_grok per run id; absent: the run did not grok. */
    private static final Map<String, Integer> GROK = Map.of("r-adamw-a0.3-s1", 60, "r-adamw-a0.3-s2", 80,
            "r-adamw-a0.6-s1", 30, "r-adamw-a0.6-s2", 50, "r-gd-a0.6-s1", 700);

    private static SweepReport report() {
        List<SweepReport.Row> rows = new ArrayList<>();
        for (SweepSpec.Cell c : SWEEP.cells()) {
            int tGrok = GROK.getOrDefault(c.runId(), -1);
            double acc = tGrok > 0 ? 1.0 : 0.25;
            // one run diverged at epoch 5 and ended there
            boolean diverged = c.runId().equals("r-gd-a0.3-s1");
            int epochs = diverged ? 5 : c.spec().epochs();
            EpochMetrics last = diverged ? new EpochMetrics(epochs, Double.POSITIVE_INFINITY, 0.1, Double.NaN, Double.NaN,
                    1, 1, 0, 0) : new EpochMetrics(epochs, 0.001, 1.0, 0.5, acc, 1, 1, 0, 0);
            // the diverged run's last evaluation is its initial one
            EpochMetrics evaluated = diverged ? new EpochMetrics(1, 0.5, 0.1, 0.5, 0.09, 1, 1, 0, 0) : last;
            RunSummary s = new RunSummary(c.runId(), c.spec(), diverged ? RunStatus.FAILED : RunStatus.COMPLETED, epochs,
                    last, evaluated, 20, tGrok, null, epochs, true, null, tGrok > 0 ? tGrok - 10 : -1);
            rows.add(new SweepReport.Row(c, s));
        }
        return new SweepReport(SWEEP, rows, org.grokscope.compute.train.EventSettings.create(
                com.typesafe.config.ConfigFactory.load()));
    }

    @Test
    void csvHasOneRowPerCellWithItsCoordinatesAndResults() {
        List<String> lines = report().csv().lines().toList();
        assertEquals(9, lines.size());
        assertEquals("run_id,variant,optimizer,alpha,weight_decay,width,split_seed,init_seed,lr,epochs,status,epoch,"
                + "t_fit,t_onset,t_grok,final_train_acc,final_test_acc,final_train_loss,final_test_loss,final_test_epoch",
                lines.get(0));
        assertTrue(lines.contains("r-gd-a0.6-s1,gd,gd,0.6,0,8,1,1,10,900,completed,900,20,690,700,1,1,0.001,0.5,900"),
                String.join("\n", lines));
        assertTrue(lines.contains("r-gd-a0.3-s2,gd,gd,0.3,0,8,2,2,10,900,completed,900,20,,,1,0.25,0.001,0.5,900"),
                String.join("\n", lines));
        // diverged at 5, last evaluated at 1: the CSV says so instead of passing epoch 1's accuracy off as final
        assertTrue(lines.contains("r-gd-a0.3-s1,gd,gd,0.3,0,8,1,1,10,900,failed,5,20,,,0.1,0.09,inf,0.5,1"),
                String.join("\n", lines));
    }

    /** Axes over fields that already have a column (lr, epochs, the seeds) add none; others add one. */
    @Test
    void csvColumnsAreUniqueWhateverTheAxes() {
        SweepSpec sweep = SweepSpec.fromConfig(ConfigFactory.parseString("""
                name = u
                base { p = 11, width = 8 }
                grid { lr = [0.01, 0.02], epochs = [20, 30], split-seed = [3], beta2 = [0.99], task = [add, mul] }
                """));
        List<SweepReport.Row> rows = new ArrayList<>();
        for (SweepSpec.Cell c : sweep.cells()) {
            rows.add(new SweepReport.Row(c, new RunSummary(c.runId(), c.spec(), RunStatus.COMPLETED, c.spec().epochs(),
                    null, null, -1, -1, null, c.spec().epochs(), true, null, -1)));
        }
        List<String> lines = new SweepReport(sweep, rows, org.grokscope.compute.train.EventSettings.create(
                ConfigFactory.load())).csv().lines().toList();
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals(new java.util.HashSet<>(header).size(), header.size(), lines.get(0));
        assertTrue(header.contains("beta2") && header.contains("task"), lines.get(0));
        int lr = header.indexOf("lr");
        int epochs = header.indexOf("epochs");
        int task = header.indexOf("task");
        assertEquals(1 + 2 * 2 * 2, lines.size());
        String[] first = lines.get(1).split(",", -1);
        assertEquals(header.size(), first.length, "every row as wide as the header");
        assertEquals(List.of("0.01", "20", "add"), List.of(first[lr], first[epochs], first[task]));
    }

    @Test
    void numbersIncludingThoseOfADivergedRun() {
        assertEquals("0.001", SweepReport.num(0.0010));
        assertEquals("nan", SweepReport.num(Double.NaN), "as the curve CSV writes it; empty means no value");
        assertEquals("inf", SweepReport.num(Double.POSITIVE_INFINITY), "a diverged run's loss");
        assertEquals("-inf", SweepReport.num(Double.NEGATIVE_INFINITY));
    }

    @Test
    void markdownTablesPivotOverAlpha() {
        String md = report().markdown();
        assertTrue(md.contains("8 cells (optimizer × alpha × seed), 5 grokked."), md);
        assertTrue(md.contains("test accuracy ≥ 0.95, held for 3 evaluations"), "the thresholds in use\n" + md);
        assertTrue(md.contains("| adamw wd=1 | 60 / 80 | 30 / 50 |"), md);
        assertTrue(md.contains("| gd wd=0 | failed / — | 700 / — |"), md);
        assertTrue(md.contains("| gd wd=0 | 0.250 | 0.625 |"), "mean test accuracy over the seeds that did not fail\n" + md);
    }

    @Test
    void grokPlotAveragesGrokkedSeedsAndMarksTheRestAtTheirLastEpoch() {
        XYChart chart = report().grokPlot();
        Map<String, XYSeries> series = chart.getSeriesMap();
        XYSeries adamw = series.get("adamw wd=1: t_grok (mean of seeds that grokked)");
        assertArrayEquals(new double[] {0.3, 0.6}, adamw.getXData(), 0);
        assertArrayEquals(new double[] {70, 40}, adamw.getYData(), 1e-12);
        assertFalse(series.containsKey("adamw wd=1: no grokking (at the last epoch)"));
        XYSeries gd = series.get("gd wd=0: t_grok (mean of seeds that grokked)");
        assertArrayEquals(new double[] {0.6}, gd.getXData(), 0);
        assertArrayEquals(new double[] {700}, gd.getYData(), 0);
        XYSeries gdMissed = series.get("gd wd=0: no grokking (at the last epoch)");
        assertArrayEquals(new double[] {0.3, 0.6}, gdMissed.getXData(), 0);
        assertArrayEquals(new double[] {900, 900}, gdMissed.getYData(), 0, "each at the epoch its run ended");
        XYSeries gdFailed = series.get("gd wd=0: failed (diverged or gave up; at the epoch it ended)");
        assertArrayEquals(new double[] {0.3}, gdFailed.getXData(), 0);
        assertArrayEquals(new double[] {5}, gdFailed.getYData(), 0);
        assertEquals(gd.getLineColor(), gdMissed.getMarkerColor(), "a group's line and crosses share a colour");
    }
}
