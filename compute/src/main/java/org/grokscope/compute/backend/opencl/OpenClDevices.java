package org.grokscope.compute.backend.opencl;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.exception.CompileFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finding OpenCL devices through Aparapi and running kernels on them without Aparapi's silent
 * fallback: a kernel is compiled for the chosen device up front, and after every launch
 * {@link Kernel#isRunningCL()} must still be true, else the launch fails with an
 * {@link OpenClException} that names the kernel and the device.
 */
public final class OpenClDevices {
    /** Held so the level set on it is not lost when the logger is collected. */
    private static final Logger APARAPI_LOG = Logger.getLogger("com.aparapi");

    /**
     * Aparapi logs every fallback as a warning and then runs on; we fail instead, so its warnings
     * are noise unless asked for with -Dcom.aparapi.logLevel. Called after Aparapi's own Config has
     * set its level.
     */
    private static void quietAparapi() {
        if (System.getProperty("com.aparapi.logLevel") == null) {
            APARAPI_LOG.setLevel(Level.SEVERE);
        }
    }

    private OpenClDevices() {
    }

    /** All OpenCL devices Aparapi sees; empty when there is no OpenCL library or platform. */
    public static List<OpenCLDevice> list() {
        try {
            List<OpenCLDevice> devices = OpenCLDevice.listDevices(null);
            quietAparapi();
            return devices == null ? List.of() : new ArrayList<>(devices);
        } catch (RuntimeException | LinkageError e) {
            return List.of();
        }
    }

    /** True when an OpenCL GPU is present: what {@code backend = auto} takes. */
    public static boolean hasGpu() {
        return list().stream().anyMatch(d -> d.getType() == Device.TYPE.GPU);
    }

    /**
     * {@link #hasGpu()}, but without loading any OpenCL driver when the ICD files show that every
     * installed driver is CPU-only (or none is installed): loading pocl replaces the JVM's signal
     * handlers, a risk a plain CPU run should not take.
     */
    public static boolean hasGpu(OpenClSettings settings) {
        return mayOfferGpu(installedDrivers(vendorFiles()), settings.cpuOnlyDrivers()) && hasGpu();
    }

    /** True when some installed driver is not known to be CPU-only. */
    static boolean mayOfferGpu(List<String> drivers, List<String> cpuOnly) {
        return drivers.stream().anyMatch(lib -> cpuOnly.stream()
                .noneMatch(cpu -> lib.toLowerCase(Locale.ROOT).contains(cpu.toLowerCase(Locale.ROOT))));
    }

    /** Where the ICD loader looks for drivers: $OCL_ICD_VENDORS, else /etc/OpenCL/vendors. */
    static Path vendorFiles() {
        String vendors = System.getenv("OCL_ICD_VENDORS");
        return Path.of(vendors == null || vendors.isBlank() ? "/etc/OpenCL/vendors" : vendors);
    }

    /** The driver libraries named by the ICD files in a vendors folder (or one ICD file). */
    static List<String> installedDrivers(Path where) {
        List<String> drivers = new ArrayList<>();
        try {
            List<Path> icds = new ArrayList<>();
            if (Files.isDirectory(where)) {
                try (var files = Files.list(where)) {
                    files.filter(f -> f.getFileName().toString().endsWith(".icd")).forEach(icds::add);
                }
            } else if (Files.isRegularFile(where)) {
                icds.add(where);
            }
            for (Path icd : icds) {
                drivers.add(Files.readString(icd).strip());
            }
        } catch (IOException | RuntimeException e) {
            // unreadable vendor files: let the OpenCL probe decide
            drivers.add(where.toString());
        }
        return drivers;
    }

    /** The device the settings ask for; fails when there is none. */
    public static OpenCLDevice select(OpenClSettings settings) {
        List<OpenCLDevice> devices = list();
        if (devices.isEmpty()) {
            throw new OpenClException("backend opencl: no OpenCL device found (is an OpenCL driver installed? "
                    + "on Debian: apt-get install pocl-opencl-icd ocl-icd-libopencl1 for a CPU device)");
        }
        String wanted = settings.device();
        if (wanted.equalsIgnoreCase("auto")) {
            for (OpenCLDevice d : devices) {
                if (d.getType() == Device.TYPE.GPU) {
                    return d;
                }
            }
            return devices.get(0);
        }
        String needle = wanted.toLowerCase(Locale.ROOT);
        for (OpenCLDevice d : devices) {
            if (d.getName().toLowerCase(Locale.ROOT).contains(needle)) {
                return d;
            }
        }
        List<String> names = devices.stream().map(OpenClDevices::describe).toList();
        throw new OpenClException("backend opencl: no OpenCL device matches grokscope.compute.opencl.device = \""
                + wanted + "\"; devices: " + names);
    }

    /** One line: name, type, platform and compute units. */
    public static String describe(OpenCLDevice d) {
        String platform = d.getOpenCLPlatform() == null ? "?" : d.getOpenCLPlatform().getName();
        return String.format(Locale.ROOT, "%s (OpenCL %s, %s, %d compute units)", d.getName().strip(), d.getType(),
                platform == null ? "?" : platform.strip(), d.getMaxComputeUnits());
    }

    /** Translates and builds the kernel for the device now, so an untranslatable kernel fails here. */
    static void compile(Kernel kernel, OpenCLDevice device) {
        try {
            kernel.compile(device);
        } catch (CompileFailedException | RuntimeException | AssertionError e) {
            throw notOnDevice(kernel, device, "cannot be translated to OpenCL", e);
        }
    }

    /** Runs one launch and checks that it ran as OpenCL on the device. */
    static void launch(Kernel kernel, OpenCLDevice device, Range range, String stage) {
        try {
            kernel.execute(range);
        } catch (RuntimeException | AssertionError e) {
            // with a device range Aparapi's fallback ends in an AssertionError, not a result
            throw notOnDevice(kernel, device, "failed in stage " + stage, e);
        }
        if (!kernel.isRunningCL()) {
            throw notOnDevice(kernel, device, "did not run as OpenCL in stage " + stage, null);
        }
    }

    private static OpenClException notOnDevice(Kernel kernel, OpenCLDevice device, String what, Throwable cause) {
        String reason = cause == null ? "" : ": " + rootMessage(cause);
        return new OpenClException("backend opencl: kernel " + kernel.getClass().getSimpleName() + " " + what
                + " on " + describe(device) + reason + ". Aparapi would run it on its Java thread pool instead, "
                + "many times slower; refusing. Use backend = cpu, or fix the kernel.", cause);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + " " + root.getMessage();
    }
}
