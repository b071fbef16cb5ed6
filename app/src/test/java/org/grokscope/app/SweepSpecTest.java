package org.grokscope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.SpecException;
import org.junit.jupiter.api.Test;

/** Grid expansion of sweep files and their validation, field by field. */
class SweepSpecTest {
    private static final String FIG4A = """
            name = f4
            max-concurrent = 3
            base { task = add, p = 23, width = 32, epochs = 100, eval-every = 5 }
            grid {
              seed = [1, 2]
              alpha = [0.30, 0.5, 0.7]
              optimizer {
                gd { type = gd, lr = 64, weight-decay = 0, epochs = 400 }
                adamw { type = adamw, optimizer.lr = 0.01, weight-decay = 1 }
              }
            }
            """;

    private static SweepSpec parse(String text) {
        return SweepSpec.fromConfig(ConfigFactory.parseString(text));
    }

    private static SpecException rejected(String text) {
        return assertThrows(SpecException.class, () -> parse(text));
    }

    @Test
    void expandsTheProductWithVariantsOutermostAndSeedsInnermost() {
        SweepSpec s = parse(FIG4A);
        assertEquals("f4", s.name());
        assertEquals(3, s.maxConcurrent());
        assertEquals(List.of("optimizer", "alpha", "seed"), s.axes(), "fixed axis order, not the file's");
        assertEquals(List.of("f4-adamw-a0.3-s1", "f4-adamw-a0.3-s2", "f4-adamw-a0.5-s1", "f4-adamw-a0.5-s2",
                "f4-adamw-a0.7-s1", "f4-adamw-a0.7-s2", "f4-gd-a0.3-s1", "f4-gd-a0.3-s2", "f4-gd-a0.5-s1",
                "f4-gd-a0.5-s2", "f4-gd-a0.7-s1", "f4-gd-a0.7-s2"), s.runIds());
        SweepSpec.Cell gd = s.cells().get(9);
        assertEquals(Map.of("optimizer", "gd", "alpha", "0.5", "seed", "2"), gd.coordinates());
        assertEquals("gd", gd.variant());
        RunSpec spec = gd.spec();
        assertEquals(OptimizerKind.GD, spec.optimizer().kind());
        assertEquals(64.0, spec.optimizer().lr());
        assertEquals(400, spec.epochs(), "the variant's epochs win over the base");
        assertEquals(0.5, spec.alpha());
        assertEquals(2, spec.splitSeed());
        assertEquals(2, spec.initSeed(), "seed sets both seeds");
        assertEquals(23, spec.p());
        assertEquals(5, spec.evalEvery());
        RunSpec adamw = s.cells().get(0).spec();
        assertEquals(OptimizerKind.ADAMW, adamw.optimizer().kind());
        assertEquals(0.01, adamw.optimizer().lr(), "optimizer.lr and lr are the same field in a variant");
        assertEquals(1.0, adamw.optimizer().weightDecay());
        assertEquals(100, adamw.epochs());
        assertEquals(0.98, adamw.optimizer().beta2(), "unset fields come from the spec defaults");
    }

    @Test
    void theExampleSweepExpandsToTwentyEightValidCells() {
        SweepSpec s = SweepSpec.read(java.nio.file.Path.of("..", "config", "examples", "sweep-fig4a.conf"));
        assertEquals(28, s.cells().size());
        assertEquals("fig4a-adamw-a0.2-s1", s.runIds().get(0));
        assertEquals("fig4a-gd-a0.8-s2", s.runIds().get(27));
        assertEquals(2, s.maxConcurrent());
        assertTrue(s.cells().stream().allMatch(c -> c.spec().p() == 59 && c.spec().width() == 256));
    }

    @Test
    void optimizerFieldAxesAndOtherAxes() {
        SweepSpec s = parse("""
                name = wd
                base { p = 11, width = 8, epochs = 10 }
                grid { weight-decay = [0, 0.5], width = [8, 16], lr = [1e-2], batch-size = [0, 16] }
                """);
        assertNull(s.maxConcurrent());
        assertEquals(List.of("weight-decay", "width", "batch-size", "lr"), s.axes());
        assertEquals(8, s.cells().size());
        SweepSpec.Cell last = s.cells().get(7);
        assertEquals("wd-wd0.5-n16-batchsize16-lr0.01", last.runId());
        assertEquals(0.5, last.spec().optimizer().weightDecay());
        assertEquals(16, last.spec().width());
        assertEquals(16, last.spec().batchSize());
        assertEquals("adamw", last.variant(), "without variants the optimizer names the group");
    }

    @Test
    void aSweepWithoutGridIsOneCell() {
        SweepSpec s = parse("name = one\nbase { p = 11 }");
        assertEquals(List.of("one"), s.runIds());
        assertEquals(11, s.cells().get(0).spec().p());
    }

    @Test
    void substitutionsResolvePerCellSoTheyFollowTheGridAxes() {
        SweepSpec s = parse("""
                name = sub
                base { p = 11, width = ${base.p}, epochs = 20 }
                grid {
                  p = [11, 13]
                  optimizer {
                    gd { type = gd, eval-every = ${base.epochs} }
                    wide { type = adamw, width = ${base.p}0 }
                  }
                }
                """);
        assertEquals(List.of("sub-gd-p11", "sub-gd-p13", "sub-wide-p11", "sub-wide-p13"), s.runIds());
        List<RunSpec> specs = s.cells().stream().map(SweepSpec.Cell::spec).toList();
        assertEquals(List.of(11, 13, 110, 130), specs.stream().map(RunSpec::width).toList(),
                "width follows the cell's p, in the base and inside a variant");
        assertEquals(List.of(11, 13, 11, 13), specs.stream().map(RunSpec::p).toList());
        assertEquals(20, specs.get(0).evalEvery(), "a variant may refer to the base");
        assertEquals(OptimizerKind.ADAMW, specs.get(3).optimizer().kind());
    }

    @Test
    void aSubstitutionThatCannotResolveIsOneLineNamingTheSweep() {
        SpecException e = rejected("name = a\nbase { width = ${base.nothing} }");
        assertEquals("sweep", e.field());
        assertTrue(e.getMessage().contains("nothing") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void numberLabelsAreCanonicalSoIdsSurviveReformatting() {
        assertEquals(parse(FIG4A).runIds(), parse(FIG4A.replace("0.30", "0.3").replace("[1, 2]", "[1.0, 2]")).runIds());
    }

    @Test
    void taskExpressionsThatShareALabelStillGetOneCellEach() {
        // n+m, n-m and n*m all read n_m in a run id; each gets a checksum of its text instead
        SweepSpec s = parse("name = t\nbase { p = 11 }\ngrid { task = [\"n+m\", \"n-m\", \"n*m\", add] }");
        List<String> ids = s.runIds();
        assertEquals(4, ids.size());
        assertEquals(4, new java.util.HashSet<>(ids).size(), ids.toString());
        assertEquals("t-taskadd", ids.get(3), "a label without a clash is unchanged");
        assertEquals(List.of("n+m", "n-m", "n*m", "add"), s.cells().stream().map(c -> c.spec().task()).toList());
        assertEquals(ids, parse("name = t\nbase { p = 11 }\ngrid { task = [\"n+m\", \"n-m\", \"n*m\", add] }").runIds(),
                "stable from one reading to the next");
        assertTrue(rejected("name = t\ngrid { task = [\"n+m\", \" n+m\"] }").getMessage().contains("appears twice"));
    }

    @Test
    void fileLevelErrorsNameTheField() {
        assertEquals("nme", rejected("nme = x").field());
        assertEquals("name", rejected("grid { alpha = [0.5] }").field());
        assertTrue(rejected("name = \"a b\"").getMessage().contains("letters, digits"));
        assertEquals("max-concurrent", rejected("name = a\nmax-concurrent = 0").field());
        assertEquals("max-concurrent", rejected("name = a\nmax-concurrent = many").field());
        assertTrue(rejected("name = a\nmax-concurrent = 1.5").getMessage().contains("integer in [1, "));
        assertEquals("base", rejected("name = a\nbase = 3").field());
    }

    @Test
    void gridErrorsNameTheAxis() {
        SpecException notList = rejected("name = a\ngrid { alpha = 0.5 }");
        assertEquals("grid.alpha", notList.field());
        assertTrue(notList.getMessage().contains("must be a list"), notList.getMessage());
        assertEquals("grid.alpha", rejected("name = a\ngrid { alpha = [] }").field());
        SpecException twice = rejected("name = a\ngrid { alpha = [0.5, 0.50] }");
        assertEquals("grid.alpha", twice.field());
        assertTrue(twice.getMessage().contains("appears twice"), twice.getMessage());
        assertEquals("grid.optimizer", rejected("name = a\ngrid { optimizer = [gd, adamw] }").field());
        // 30 × 30 × 30 = 27,000 cells: refused before any is expanded
        String thirty = java.util.stream.IntStream.range(1, 31).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        SpecException huge = rejected("name = a\ngrid { seed = " + thirty + ", width = " + thirty + ", epochs = " + thirty + " }");
        assertEquals("grid", huge.field());
        assertTrue(huge.getMessage().contains("more than " + SweepSpec.MAX_CELLS + " cells"), huge.getMessage());
        assertEquals("grid.optimizer.gd", rejected("name = a\ngrid { optimizer { gd = 3 } }").field());
        assertEquals("grid.optimizer.g-d", rejected("name = a\ngrid { optimizer { g-d { type = gd } } }").field());
        SpecException both = rejected("name = a\ngrid { weight-decay = [0, 1]\noptimizer { adamw { weight-decay = 1 } } }");
        assertEquals("grid.optimizer.adamw.weight-decay", both.field());
        assertTrue(both.getMessage().contains("also the grid axis"), both.getMessage());
        SpecException twoAxes = rejected("name = a\ngrid { seed = [1], split-seed = [2] }");
        assertEquals("grid.split-seed", twoAxes.field());
        assertTrue(twoAxes.getMessage().contains("grid.seed"), twoAxes.getMessage());
    }

    @Test
    void cellErrorsNameWhereTheValueWasSet() {
        SpecException alpha = rejected("name = a\ngrid { alpha = [0.5, 1.2] }");
        assertEquals("grid.alpha", alpha.field());
        assertTrue(alpha.getMessage().contains("(cell a-a1.2)"), alpha.getMessage());
        assertEquals("grid.alpha", rejected("name = a\ngrid { alpha = [half] }").field(), "wrong type");
        assertEquals("grid.alpah", rejected("name = a\ngrid { alpah = [0.5] }").field(), "unknown field");
        assertEquals("grid.seed", rejected("name = a\ngrid { seed = [x] }").field());
        assertEquals("grid.optimizer.gd.lr",
                rejected("name = a\ngrid { optimizer { gd { type = gd, lr = -1 } } }").field());
        assertEquals("grid.optimizer.gd.type",
                rejected("name = a\ngrid { optimizer { gd { type = sgd } } }").field());
        assertEquals("grid.optimizer.gd.epochs",
                rejected("name = a\ngrid { optimizer { gd { epochs = 0 } } }").field());
        assertEquals("grid.optimizer.gd.foo", rejected("name = a\ngrid { optimizer { gd { foo = 1 } } }").field());
        assertEquals("base.p", rejected("name = a\nbase { p = 1 }\ngrid { alpha = [0.5] }").field());
        assertEquals("base.task", rejected("name = a\nbase { task = \"n +\" }").field(), "task grammar checked");
        assertEquals("base.optimizer.nesterov", rejected("name = a\nbase { optimizer.nesterov = true }").field());
    }

    @Test
    void runIdsHaveALengthLimit() {
        String name = "n".repeat(40);
        SpecException e = rejected("name = " + name + "\ngrid { optimizer { " + "v".repeat(20)
                + " { type = adamw } }\nalpha = [0.123456789012345]\nweight-decay = [0.123456789012345]\n"
                + "eps = [0.000000001234567] }");
        assertEquals("name", e.field());
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    }
}
