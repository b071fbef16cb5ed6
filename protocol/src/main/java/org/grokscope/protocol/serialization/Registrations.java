package org.grokscope.protocol.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Map;
import org.grokscope.protocol.Activation;
import org.grokscope.protocol.BackendKind;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.LossKind;
import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.OptimizerSpec;
import org.grokscope.protocol.Parametrization;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunStatus;
import org.grokscope.protocol.events.CheckpointSaved;
import org.grokscope.protocol.events.EpochCompleted;
import org.grokscope.protocol.events.OptimizerCheckpoint;
import org.grokscope.protocol.events.RunCompleted;
import org.grokscope.protocol.events.RunFailed;
import org.grokscope.protocol.events.RunPaused;
import org.grokscope.protocol.events.RunResumed;
import org.grokscope.protocol.events.RunStarted;
import org.grokscope.protocol.events.RunStopped;

/**
 * The Kryo registrations of the journal format, version {@link #FORMAT_VERSION}. Ids are forever:
 * a class keeps its id, new classes take new ids, and a change to a record's components needs a
 * new format version with a reader for the old one (the golden journal test catches slips).
 * Ids 100–199 are protocol classes; other modules register theirs (200+) through config.
 */
public final class Registrations {
    /** Written as the first byte of every payload. */
    public static final int FORMAT_VERSION = 1;

    private Registrations() {
    }

    public static void register(Kryo kryo, Map<Integer, Class<?>> extra) {
        kryo.setRegistrationRequired(true);
        kryo.register(float[].class, 20);
        kryo.register(int[].class, 21);
        kryo.register(long[].class, 22);
        kryo.register(double[].class, 23);

        kryo.register(Activation.class, new NamedEnum<>(Activation.class), 100);
        kryo.register(Parametrization.class, new NamedEnum<>(Parametrization.class), 101);
        kryo.register(LossKind.class, new NamedEnum<>(LossKind.class), 102);
        kryo.register(OptimizerKind.class, new NamedEnum<>(OptimizerKind.class), 103);
        kryo.register(BackendKind.class, new NamedEnum<>(BackendKind.class), 104);
        kryo.register(RunStatus.class, new NamedEnum<>(RunStatus.class), 105);
        kryo.register(OptimizerSpec.class, 110);
        kryo.register(RunSpec.class, 111);
        kryo.register(EpochMetrics.class, 112);

        kryo.register(RunStarted.class, 120);
        kryo.register(EpochCompleted.class, 121);
        kryo.register(CheckpointSaved.class, 122);
        kryo.register(OptimizerCheckpoint.class, 123);
        kryo.register(RunPaused.class, 124);
        kryo.register(RunResumed.class, 125);
        kryo.register(RunCompleted.class, 126);
        kryo.register(RunFailed.class, 127);
        kryo.register(RunStopped.class, 128);
        kryo.register(org.grokscope.protocol.events.GrokkingDetected.class, 129);
        kryo.register(org.grokscope.protocol.events.PrecursorDetected.class, 130);
        kryo.register(org.grokscope.protocol.events.AnalysisRecorded.class, 131);
        kryo.register(org.grokscope.protocol.events.TrainingSessionStarted.class, 132);
        kryo.register(String[].class, 24);

        extra.forEach((id, type) -> {
            if (id < 200) {
                throw new IllegalArgumentException("ids below 200 belong to the protocol: " + id + " " + type);
            }
            kryo.register(type, id);
        });
    }

    /** Enums by name, not ordinal, so reordering or inserting constants cannot corrupt old journals. */
    private static final class NamedEnum<E extends Enum<E>> extends Serializer<E> {
        private final Class<E> type;

        NamedEnum(Class<E> type) {
            this.type = type;
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, E value) {
            output.writeString(value.name());
        }

        @Override
        public E read(Kryo kryo, Input input, Class<? extends E> cls) {
            return Enum.valueOf(type, input.readString());
        }
    }
}
