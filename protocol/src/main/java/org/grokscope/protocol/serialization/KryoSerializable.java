package org.grokscope.protocol.serialization;

/**
 * Marker for messages, events and snapshots that Pekko serializes with {@link KryoSerializer}
 * (bound in this module's reference.conf). Every implementing class must be registered with an
 * explicit id in {@link Registrations}.
 */
public interface KryoSerializable {
}
