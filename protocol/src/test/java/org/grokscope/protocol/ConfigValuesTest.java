package org.grokscope.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole numbers are read exactly or refused with the field and range; nothing is truncated or clamped. */
class ConfigValuesTest {
    private static long read(String hocon) {
        return ConfigValues.integer(ConfigFactory.parseString(hocon), "x", "x", -10, 1000);
    }

    private static String refused(String hocon) {
        SpecException e = assertThrows(SpecException.class, () -> read(hocon));
        assertEquals("x", e.field());
        return e.getMessage();
    }

    @Test
    void wholeNumbersInAnyNotationAreRead() {
        assertEquals(7, read("x = 7"));
        assertEquals(-10, read("x = -10"));
        assertEquals(1000, read("x = 1e3"));
        assertEquals(12, read("x = 12.0"));
        assertEquals(5, read("x = \"5\""));
        Config flags = ConfigFactory.parseMap(Map.of("x", " 9 "));
        assertEquals(9, ConfigValues.integer(flags, "x", "x", 0, 10));
        assertEquals(Long.MAX_VALUE, ConfigValues.integer(ConfigFactory.parseString("x = 9223372036854775807"), "x", "x",
                Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Test
    void fractionsRangesAndOtherTypesAreRefusedWithTheRange() {
        assertTrue(refused("x = 11.5").endsWith("must be an integer in [-10, 1000], got 11.5"), refused("x = 11.5"));
        assertTrue(refused("x = 1001").contains("got 1001"));
        assertTrue(refused("x = -11").contains("got -11"));
        assertTrue(refused("x = 99999999999999999999").contains("[-10, 1000]"));
        assertTrue(refused("x = abc").contains("got 'abc'"));
        assertTrue(refused("x = [1, 2]").contains("must be an integer in [-10, 1000]"));
        assertTrue(refused("y = 1").contains("is missing"));
        assertTrue(refused("x = null").contains("is null; give an integer in [-10, 1000]"), refused("x = null"));
        String group = ConfigValues.missing(ConfigFactory.parseString("optimizer = null"), "optimizer.type", "a string");
        assertEquals("optimizer is null; give a string", group);
        String seed = assertThrows(SpecException.class, () -> ConfigValues.integer(
                ConfigFactory.parseString("s = 99999999999999999999"), "s", "seed", Long.MIN_VALUE, Long.MAX_VALUE))
                .getMessage();
        assertTrue(seed.startsWith("seed: ") && seed.contains("got 99999999999999999999"), seed);
    }

    @Test
    void numbersAreReadAndTextIsRefused() {
        assertEquals(0.25, ConfigValues.number(ConfigFactory.parseString("x = 0.25"), "x", "x"), 0.0);
        assertEquals(0.5, ConfigValues.number(ConfigFactory.parseString("x = \"0.5\""), "x", "x"), 0.0);
        SpecException e = assertThrows(SpecException.class,
                () -> ConfigValues.number(ConfigFactory.parseString("x = abc"), "x", "x"));
        assertTrue(e.getMessage().contains("must be a number, got 'abc'"), e.getMessage());
    }
}
