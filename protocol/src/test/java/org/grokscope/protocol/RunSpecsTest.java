package org.grokscope.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** Spec loading: defaults, round trip through the rendered HOCON, and field-named rejections. */
class RunSpecsTest {

    @Test
    void defaultsDescribeTheReferenceExperiment() {
        RunSpec s = RunSpecs.fromConfig(ConfigFactory.empty());
        assertEquals("add", s.task());
        assertEquals(97, s.p());
        assertEquals(0.5, s.alpha());
        assertEquals(512, s.width());
        assertEquals(Activation.QUAD, s.activation());
        assertEquals(Parametrization.MEAN_FIELD, s.parametrization());
        assertEquals(LossKind.MSE, s.loss());
        assertEquals(OptimizerKind.ADAMW, s.optimizer().kind());
        assertEquals(0, s.batchSize());
    }

    @Test
    void renderedSpecReadsBackEqual() {
        RunSpec s = RunSpecs.fromConfig(ConfigFactory.parseString(
                "task = \"3*n^2 + m\", p = 31, alpha = 0.37, split-seed = -5, init-seed = 123456789012,"
                        + " width = 77, activation = gelu, parametrization = standard, loss = cse,"
                        + " optimizer { type = gd, lr = 250.5, momentum = 0.9, nesterov = true, weight-decay = 1e-4 },"
                        + " epochs = 42, batch-size = 64, eval-every = 7, checkpoint-every = 0, backend = naive"));
        RunSpec back = RunSpecs.fromConfig(ConfigFactory.parseString(RunSpecs.render(s)));
        assertEquals(s, back);
    }

    @Test
    void unknownFieldIsNamed() {
        SpecException e = assertThrows(SpecException.class,
                () -> RunSpecs.fromConfig(ConfigFactory.parseString("optimizer.learning-rate = 1")));
        assertEquals("optimizer.learning-rate", e.field());
        assertTrue(e.getMessage().contains("optimizer.lr"), e.getMessage());
    }

    @Test
    void rangesAreCheckedWithTheFieldAndTheRange() {
        SpecException p = assertThrows(SpecException.class,
                () -> RunSpecs.fromConfig(ConfigFactory.parseString("p = 5000")));
        assertEquals("p", p.field());
        assertTrue(p.getMessage().contains("[2, 4096]") && p.getMessage().contains("5000"), p.getMessage());
        SpecException alpha = assertThrows(SpecException.class,
                () -> RunSpecs.fromConfig(ConfigFactory.parseString("alpha = 1")));
        assertEquals("p: must be an integer in [2, 4096], got 5000", p.getMessage());
        assertEquals("alpha: must be in (0, 1), got 1", alpha.getMessage());
        SpecException eps = assertThrows(SpecException.class,
                () -> RunSpecs.fromConfig(ConfigFactory.parseString("optimizer.eps = 0")));
        assertEquals("optimizer.eps", eps.field());
        SpecException type = assertThrows(SpecException.class,
                () -> RunSpecs.fromConfig(ConfigFactory.parseString("optimizer.nesterov = maybe")));
        assertEquals("optimizer.nesterov", type.field());
    }
}
