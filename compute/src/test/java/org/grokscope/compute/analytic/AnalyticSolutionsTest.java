package org.grokscope.compute.analytic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.grokscope.compute.model.ModelShape;
import org.grokscope.compute.model.ReferenceModel;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.task.Dataset;
import org.grokscope.compute.task.Tasks;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.LossKind;
import org.grokscope.protocol.Parametrization;
import org.grokscope.protocol.SpecException;
import org.junit.jupiter.api.Test;

/**
 * The analytic weights scored by the double-precision {@link ReferenceModel} over all p² pairs,
 * whose labels come from the task itself, not from the decomposition: Gromov's accuracies
 * (SCIENCE.md §7) at p = 97.
 */
class AnalyticSolutionsTest {
    private static final int P = 97;
    private static final AnalyticSettings SETTINGS = AnalyticSettings.create(ConfigFactory.load());

    static double accuracy(String task, int p, int width, Activation act, long seed, AnalyticSettings settings) {
        ModelShape shape = new ModelShape(p, width, act, Parametrization.MEAN_FIELD, LossKind.MSE);
        var t = Tasks.parse(task, p);
        Weights w = AnalyticSolutions.build(Decompositions.find(t), shape, seed, settings);
        return ReferenceModel.lossAndAccuracy(shape, ReferenceModel.toDouble(w.w1t()), ReferenceModel.toDouble(w.w2()),
                Dataset.of(t), null)[1];
    }

    static double accuracy(String task, int width, Activation act, long seed) {
        return accuracy(task, P, width, act, seed, SETTINGS);
    }

    @Test
    void additionWithQuadIsAccurateAtWidth100AndExactFrom200() {
        for (long seed = 1; seed <= 3; seed++) {
            double at100 = accuracy("add", 100, Activation.QUAD, seed);
            assertTrue(at100 >= 0.99, "N=100 seed " + seed + ": " + at100);
            assertEquals(1.0, accuracy("add", 200, Activation.QUAD, seed), "N=200 seed " + seed);
        }
    }

    @Test
    void additionWithReluAtWidth500() {
        for (long seed = 1; seed <= 2; seed++) {
            double acc = accuracy("add", 500, Activation.RELU, seed);
            assertTrue(acc >= 0.999, "seed " + seed + ": " + acc);
        }
    }

    @Test
    void sumOfSquaresIsExact() {
        assertEquals(1.0, accuracy("sq_sum", 500, Activation.QUAD, 1));
        assertEquals(1.0, accuracy("n^2 + m^2", 500, Activation.QUAD, 2));
    }

    @Test
    void squareOfSumGetsOneOfItsTwoBranches() {
        // Corollary: F⁻¹ = √ has two branches, so one readout branch is right about half the time
        for (long seed = 1; seed <= 3; seed++) {
            double acc = accuracy("sq_of_sum", 500, Activation.QUAD, seed);
            assertTrue(acc >= 0.45 && acc <= 0.55, "seed " + seed + ": " + acc);
        }
        // summing both branches in the readout recovers the whole table
        double all = accuracy("(n+m)^2", P, 500, Activation.QUAD, 1,
                SETTINGS.withReadout(AnalyticSettings.Readout.ALL_BRANCHES));
        assertTrue(all >= 0.99, "all branches: " + all);
    }

    @Test
    void multiplicationThroughDiscreteLogs() {
        for (long seed = 1; seed <= 2; seed++) {
            double acc = accuracy("mul", 500, Activation.QUAD, seed);
            assertTrue(acc >= 0.99, "quad seed " + seed + ": " + acc);
        }
        double relu = accuracy("n*m", 1000, Activation.RELU, 1);
        assertTrue(relu >= 0.99, "relu: " + relu);
        double div = accuracy("div", 500, Activation.QUAD, 1);
        assertTrue(div >= 0.99, "div: " + div);
    }

    @Test
    void geluWorksAtLargerWidth() {
        double acc = accuracy("add", 1000, Activation.GELU, 1);
        assertTrue(acc >= 0.99, "gelu: " + acc);
    }

    @Test
    void accuracyGrowsWithWidth() {
        double narrow = 0;
        double wide = 0;
        for (long seed = 1; seed <= 3; seed++) {
            narrow += accuracy("add", 30, Activation.RELU, seed);
            wide += accuracy("add", 300, Activation.RELU, seed);
        }
        assertTrue(wide > narrow + 0.05, "N=30 " + narrow / 3 + ", N=300 " + wide / 3);
    }

    @Test
    void tasksWithoutConstructionAreRefusedWithOneLine() {
        SpecException cube = assertThrows(SpecException.class, () -> Decompositions.find(Tasks.parse("cube", P)));
        assertTrue(cube.getMessage().startsWith("task: "), cube.getMessage());
        assertTrue(cube.getMessage().contains("no analytic construction"), cube.getMessage());
        assertTrue(!cube.getMessage().contains("\n"));
        assertThrows(SpecException.class, () -> Decompositions.find(Tasks.parse("quad", P)));
        SpecException odd = assertThrows(SpecException.class, () -> accuracy("add", 50, Activation.TANH, 1));
        assertTrue(odd.getMessage().startsWith("activation: "), odd.getMessage());
    }

    @Test
    void decompositionsOfTheBuiltIns() {
        assertEquals(P, Decompositions.find(Tasks.parse("sub", P)).modulus());
        assertEquals(1, Decompositions.find(Tasks.parse("3*n^2 + 5*m + 1", P)).branches());
        Decomposition sq = Decompositions.find(Tasks.parse("sq_of_sum", P));
        assertEquals(2, sq.branches());
        Decomposition mul = Decompositions.find(Tasks.parse("mul", P));
        assertEquals(P - 1, mul.modulus());
        assertEquals(2, mul.detectorNeurons());
        assertEquals(0, mul.absorbedLabel());
        assertEquals(1, Decompositions.find(Tasks.parse("div", P)).detectorNeurons(), "m = 0 is not in div's table");
        assertEquals(2, Decompositions.find(Tasks.parse("(2*n + m)^2 + 7", P)).branches());
        // x^3 has three cube roots in Z_97 (3 divides 96) but is a bijection of Z_101 (3 does not divide 100)
        assertEquals(3, Decompositions.find(Tasks.parse("(n - 3*m)^3", P)).branches());
        assertEquals(1, Decompositions.find(Tasks.parse("(n - 3*m)^3", 101)).branches());
        assertEquals(1.0, accuracy("(n - 3*m)^3", 101, 400, Activation.QUAD, 1, SETTINGS));
        assertEquals(5, Decompositions.primitiveRoot(97));
        assertEquals(2, Decompositions.primitiveRoot(101));
    }

    @Test
    void buildMatchesThePapersLiteralFormulaForAddition() {
        ModelShape shape = new ModelShape(23, 40, Activation.QUAD, Parametrization.MEAN_FIELD, LossKind.MSE);
        Weights paper = AnalyticSolutions.addition(shape, 7);
        Weights built = AnalyticSolutions.build(Decompositions.find(Tasks.parse("add", 23)), shape, 7, SETTINGS);
        float[] a = paper.w1();
        float[] b = built.w1();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-6, "W1 entry " + i);
        }
        // W2 is the paper's scaled by λ = 2/(gain·(2/N)·N) = 1 for quad at amplitude 1
        for (int i = 0; i < paper.w2().length; i++) {
            assertEquals(paper.w2()[i], built.w2()[i], 1e-5, "W2 entry " + i);
        }
    }

    @Test
    void gainOfQuadAndReluInClosedForm() {
        // quad: (a(cosA + cosB))² has cos(A+B) coefficient a²
        assertEquals(4.0, AnalyticSolutions.gain(Activation.QUAD, 2.0, 64), 1e-12);
        // relu(x) = (x + |x|)/2: the linear half has no cos(A+B) term, so relu's gain is half of |x|'s
        double abs = 0;
        int q = 2048;
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < q; j++) {
                double x = 2 * Math.PI * i / q;
                double y = 2 * Math.PI * j / q;
                abs += Math.abs(Math.cos(x) + Math.cos(y)) * Math.cos(x + y);
            }
        }
        assertEquals(abs / ((double) q * q), AnalyticSolutions.gain(Activation.RELU, 1.0, 512), 1e-4);
        assertEquals(0.0, AnalyticSolutions.gain(Activation.TANH, 1.0, 64), 1e-12);
    }
}
