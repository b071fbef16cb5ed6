package org.grokscope.compute.backend.opencl;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import java.util.List;
import org.grokscope.compute.backend.Backend;
import org.grokscope.compute.backend.TrainingBatch;
import org.grokscope.compute.backend.TrainingEngine;
import org.grokscope.compute.model.Weights;
import org.grokscope.compute.optim.Optimizer;
import org.grokscope.compute.task.Dataset;

/**
 * The OpenCL backend: the whole step (gather, activation, the three GEMMs, loss, race-free W1
 * gradient, optimizer update) and evaluation as Aparapi kernels on one OpenCL device, with the
 * run's state kept on the device. Creating it fails when there is no OpenCL device, and every
 * launch fails when Aparapi would fall back to Java threads: asking for OpenCL never silently
 * gives a slow CPU run.
 */
public final class OpenClBackend implements Backend {
    private final OpenClSettings settings;
    private final OpenCLDevice device;

    public OpenClBackend(OpenClSettings settings) {
        this.settings = settings;
        this.device = OpenClDevices.select(settings);
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String device() {
        boolean tiled = settings.gemm() == OpenClSettings.Gemm.TILED
                || settings.gemm() == OpenClSettings.Gemm.AUTO && device.getType() == Device.TYPE.GPU;
        // recorded in each run's journal: the work-group sizes are part of how its bits were computed
        return OpenClDevices.describe(device) + ", " + (tiled ? "tiled GEMMs, tile " + settings.tile() : "simple GEMMs")
                + ", local size " + settings.localSize() + " (Aparapi)";
    }

    public OpenCLDevice openClDevice() {
        return device;
    }

    @Override
    public TrainingEngine open(Weights initial, Optimizer optimizer, Dataset train) {
        OpenClBatch batch = OpenClBatch.open(settings, device, List.of(new OpenClBatch.Member(initial, optimizer, train)));
        return new OpenClEngine(batch, 0, true);
    }

    /** R runs stepped together; see {@link OpenClBatch}. */
    public OpenClBatch openBatch(List<OpenClBatch.Member> members) {
        return OpenClBatch.open(settings, device, members);
    }

    /** One launch per stage steps every member: the batching the supervisor's BatchTrainer uses. */
    @Override
    public TrainingBatch openBatch(List<Weights> initial, List<Optimizer> optimizers, List<Dataset> train) {
        if (initial.size() != optimizers.size() || initial.size() != train.size()) {
            throw new IllegalArgumentException("a batch needs one optimizer and one training set per member");
        }
        List<OpenClBatch.Member> members = new java.util.ArrayList<>();
        for (int r = 0; r < initial.size(); r++) {
            members.add(new OpenClBatch.Member(initial.get(r), optimizers.get(r), train.get(r)));
        }
        return openBatch(members);
    }
}
