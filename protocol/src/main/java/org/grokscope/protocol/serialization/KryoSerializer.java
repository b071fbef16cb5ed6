package org.grokscope.protocol.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import com.typesafe.config.Config;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.JSerializer;

/**
 * Pekko's binding to Kryo for everything marked {@link KryoSerializable}: journal events,
 * snapshots and messages. Each payload starts with the format version byte; registration is
 * required, so an unknown class can never be written or instantiated from a journal.
 */
public final class KryoSerializer extends JSerializer {
    /** Pekko serializer id; fixed, it is stored with every journal entry. */
    public static final int IDENTIFIER = 627_101;

    private final Pool<Kryo> pool;

    /** Used by Pekko: extra registrations come from {@code grokscope.serialization.registrations}. */
    public KryoSerializer(ExtendedActorSystem system) {
        this(extraRegistrations(system.settings().config()));
    }

    public KryoSerializer(Map<Integer, Class<?>> extra) {
        this.pool = new Pool<>(true, false, 16) {
            @Override
            protected Kryo create() {
                Kryo kryo = new Kryo();
                Registrations.register(kryo, extra);
                return kryo;
            }
        };
    }

    /** Reads {@code [{ id = 200, class = "..." }, ...]} from config. */
    public static Map<Integer, Class<?>> extraRegistrations(Config config) {
        Map<Integer, Class<?>> extra = new TreeMap<>();
        String path = "grokscope.serialization.registrations";
        if (!config.hasPath(path)) {
            return extra;
        }
        for (Config entry : config.getConfigList(path)) {
            String name = entry.getString("class");
            try {
                Class<?> type = Class.forName(name, false, KryoSerializer.class.getClassLoader());
                if (extra.put(entry.getInt("id"), type) != null) {
                    throw new IllegalArgumentException("duplicate Kryo id " + entry.getInt("id"));
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("registered class not found: " + name, e);
            }
        }
        return extra;
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public boolean includeManifest() {
        return false;
    }

    @Override
    public byte[] toBinary(Object o) {
        Kryo kryo = pool.obtain();
        try (Output out = new Output(256, -1)) {
            out.writeByte(Registrations.FORMAT_VERSION);
            kryo.writeClassAndObject(out, o);
            return out.toBytes();
        } finally {
            pool.free(kryo);
        }
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("empty payload: not a grokscope journal entry");
        }
        int version = bytes[0];
        if (version != Registrations.FORMAT_VERSION) {
            throw new IllegalArgumentException("journal format version " + version + " is not readable by this "
                    + "grokscope (it reads version " + Registrations.FORMAT_VERSION + ")");
        }
        Kryo kryo = pool.obtain();
        try (Input in = new Input(bytes, 1, bytes.length - 1)) {
            return kryo.readClassAndObject(in);
        } catch (KryoException e) {
            throw new IllegalArgumentException("corrupt journal entry: " + e.getMessage(), e);
        } finally {
            pool.free(kryo);
        }
    }

}
