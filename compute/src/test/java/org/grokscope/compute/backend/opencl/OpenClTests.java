package org.grokscope.compute.backend.opencl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.aparapi.device.OpenCLDevice;
import com.typesafe.config.ConfigFactory;

/** Shared setup of the OpenCL tests: they need a device and are skipped, saying so, without one. */
final class OpenClTests {
    private OpenClTests() {
    }

    /** The device of the default settings; skips the test when the machine has no OpenCL platform. */
    static OpenCLDevice device() {
        // CI installs pocl: there a missing platform is a broken build, not a reason to skip
        org.junit.jupiter.api.Assertions.assertFalse("true".equals(System.getenv("CI"))
                && org.grokscope.compute.backend.opencl.OpenClDevices.list().isEmpty(),
                "CI=true but no OpenCL platform: install pocl-opencl-icd ocl-icd-libopencl1");
        assumeTrue(!OpenClDevices.list().isEmpty(),
                "skipped: no OpenCL platform on this machine (CI installs pocl-opencl-icd ocl-icd-libopencl1)");
        return OpenClDevices.select(settings());
    }

    static OpenClSettings settings() {
        return OpenClSettings.create(ConfigFactory.load());
    }
}
