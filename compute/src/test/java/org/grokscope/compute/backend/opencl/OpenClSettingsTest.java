package org.grokscope.compute.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import org.grokscope.compute.ComputeSettings;
import org.junit.jupiter.api.Test;

/** grokscope.compute.opencl: the shipped defaults, overrides and rejected values. No device needed. */
class OpenClSettingsTest {
    @Test
    void defaultsComeFromReferenceConf() {
        OpenClSettings s = ComputeSettings.defaults().opencl();
        assertEquals(new OpenClSettings("auto", OpenClSettings.Gemm.AUTO, 16, 64, java.util.List.of("pocl")), s);
    }

    @Test
    void overridesAndBadValues() {
        OpenClSettings tiled = OpenClSettings.create(ConfigFactory.parseString(
                "grokscope.compute.opencl { gemm = tiled, tile = 32 }").withFallback(ConfigFactory.load()));
        assertEquals(OpenClSettings.Gemm.TILED, tiled.gemm());
        assertEquals(32, tiled.tile());
        assertThrows(IllegalArgumentException.class, () -> OpenClSettings.create(ConfigFactory.parseString(
                "grokscope.compute.opencl.gemm = fast").withFallback(ConfigFactory.load())));
        // the simple GEMMs take rows in fours, so run blocks must be padded to a multiple of four
        assertThrows(IllegalArgumentException.class, () -> new OpenClSettings("auto", OpenClSettings.Gemm.AUTO, 6, 64));
        assertThrows(IllegalArgumentException.class, () -> new OpenClSettings("auto", OpenClSettings.Gemm.AUTO, 128, 64));
        assertThrows(IllegalArgumentException.class, () -> new OpenClSettings(" ", OpenClSettings.Gemm.AUTO, 16, 64));
    }
}
