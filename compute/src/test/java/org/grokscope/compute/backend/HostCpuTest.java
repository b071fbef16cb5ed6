package org.grokscope.compute.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HostCpuTest {
    private static final String ZEN3 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC
            flags\t\t: fpu sse sse2 sse4_1 sse4_2 fma avx avx2 sha_ni
            
            processor\t: 1
            model name\t: AMD EPYC
            flags\t\t: fpu sse sse2 sse4_1 sse4_2 fma avx avx2 sha_ni
            """;

    @Test
    void avx2HostSaysItHasNoAvx512() {
        assertEquals("AMD EPYC; avx2 fma, no avx512f", HostCpu.describe(ZEN3));
    }

    @Test
    void avx512HostIsNamedByItsWidestExtension() {
        String genoa = ZEN3.replace("avx avx2", "avx avx2 avx512f avx512bw avx512_bf16")
                .replace("AMD EPYC", "AMD EPYC 9R14");
        assertEquals("AMD EPYC 9R14; avx512f fma", HostCpu.describe(genoa));
    }

    @Test
    void flagNamesAreMatchedWholeNotAsPrefixes() {
        // "model name" must not match "model", nor "avx512vl" stand in for "avx512f"
        String text = "model\t\t: 1\nmodel name\t: Some CPU\nflags\t\t: avx512vl sse4_2\n";
        assertEquals("Some CPU; sse4_2, no avx512f", HostCpu.describe(text));
    }

    @Test
    void missingFieldsAreSaidSo() {
        assertEquals("unknown model; no flags listed", HostCpu.describe(""));
    }
}
