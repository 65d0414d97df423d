package org.neuroflux.cluster;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The value of a state-topic record, big-endian binary:
 * <pre>
 *   byte format (1), long nextSequence, long epochsRun, long lastObservationOffset, long committedAtMicros,
 *   int length, owner (UTF-8), int length, engine snapshot
 * </pre>
 * A null value (tombstone) means the session was deleted.
 */
public final class StateRecordCodec {
    public static final byte FORMAT = 1;
    /** Larger snapshots are corrupt: the broker's default message limit is 1 MiB. */
    static final int MAX_ENGINE_BYTES = 64 << 20;

    private StateRecordCodec() {}

    public static byte[] encode(StateRecord s) {
        byte[] owner = s.owner().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 4 * 8 + 4 + owner.length + 4 + s.engine().length)
                .put(FORMAT)
                .putLong(s.nextSequence())
                .putLong(s.epochsRun())
                .putLong(s.lastObservationOffset())
                .putLong(s.committedAtMicros())
                .putInt(owner.length)
                .put(owner)
                .putInt(s.engine().length)
                .put(s.engine())
                .array();
    }

    /** @throws RecordFormatException naming what is wrong, for a truncated, oversized or unknown record */
    public static StateRecord decode(byte[] value) {
        if (value == null) throw new RecordFormatException("state record: null value (a tombstone) holds no state");
        ByteBuffer b = ByteBuffer.wrap(value);
        try {
            byte format = b.get();
            if (format != FORMAT)
                throw new RecordFormatException(
                        "state record: format " + format + " is not supported (this instance reads " + FORMAT + ")");
            long next = b.getLong(), epochs = b.getLong(), last = b.getLong(), at = b.getLong();
            if (next < 0 || epochs < 0 || last < 0)
                throw new RecordFormatException(
                        "state record: nextSequence, epochsRun and lastObservationOffset must be >= 0, were " + next
                                + ", " + epochs + ", " + last);
            int ownerLength = b.getInt();
            if (ownerLength < 1 || ownerLength > b.remaining())
                throw new RecordFormatException(
                        "state record: owner length must be 1.." + b.remaining() + ", was " + ownerLength);
            byte[] owner = new byte[ownerLength];
            b.get(owner);
            int engineLength = b.getInt();
            if (engineLength < 0 || engineLength > MAX_ENGINE_BYTES || engineLength != b.remaining())
                throw new RecordFormatException("state record: engine snapshot length must be the " + b.remaining()
                        + " bytes that follow, was " + engineLength);
            byte[] engine = new byte[engineLength];
            b.get(engine);
            return new StateRecord(next, epochs, last, at, new String(owner, StandardCharsets.UTF_8), engine);
        } catch (BufferUnderflowException e) {
            throw new RecordFormatException(
                    "state record: truncated at byte " + b.position() + " of " + value.length, e);
        }
    }
}
