package org.neuroflux.cluster;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The values of the signals topic, big-endian binary. A frame batch:
 * <pre>
 *   byte 'F', byte format (1), int count,
 *   count x { int scheme, long sequence, long trial, int epoch, int iteration, double modelTimeSeconds,
 *             long wallClockMicros, int n, n x double (IEEE 754 bits) }
 * </pre>
 * A resumed notice: {@code byte 'R', byte format (1), long sequence, long atMicros, int length, owner (UTF-8)}.
 * Values travel as their exact bits: a frame read back equals the frame written, bit for bit.
 */
public final class SignalRecordCodec {
    public static final byte FORMAT = 2; // 2: frames carry their level (deep models)
    static final byte FRAMES = 'F';
    static final byte RESUMED = 'R';
    private static final int FRAME_HEADER = 4 + 8 + 8 + 4 + 4 + 4 + 8 + 8 + 4;
    /** A frame of more values than this is corrupt (the largest layouts hold a few thousand). */
    static final int MAX_VALUES = 1 << 22;

    private SignalRecordCodec() {}

    /**
     * Builds frame batches without a per-frame allocation: frames are written into a growing
     * buffer kept between batches, and {@link #finish()} copies the batch out once. Not thread-safe:
     * one per producing thread.
     */
    public static final class BatchEncoder {
        private ByteBuffer buffer = ByteBuffer.allocate(1 << 12);
        private int count;

        /** Starts a new batch, forgetting any unfinished one. */
        public BatchEncoder begin() {
            buffer.clear();
            buffer.put(FRAMES).put(FORMAT).putInt(0);
            count = 0;
            return this;
        }

        /** Appends a frame; {@code values[0..length)} are its stored values. */
        public BatchEncoder frame(
                int scheme,
                long sequence,
                long trial,
                int epoch,
                int iteration,
                int level,
                double modelTimeSeconds,
                long wallClockMicros,
                double[] values,
                int length) {
            if (length < 0 || length > values.length)
                throw new IllegalArgumentException("length must be 0.." + values.length + ", was " + length);
            ensure(FRAME_HEADER + 8 * length);
            buffer.putInt(scheme)
                    .putLong(sequence)
                    .putLong(trial)
                    .putInt(epoch)
                    .putInt(iteration)
                    .putInt(level)
                    .putDouble(modelTimeSeconds)
                    .putLong(wallClockMicros)
                    .putInt(length);
            for (int i = 0; i < length; i++) buffer.putDouble(values[i]);
            count++;
            return this;
        }

        public int frames() {
            return count;
        }

        /** The batch's bytes; the encoder can begin the next one. */
        public byte[] finish() {
            buffer.putInt(2, count);
            return Arrays.copyOf(buffer.array(), buffer.position());
        }

        private void ensure(int bytes) {
            if (buffer.remaining() >= bytes) return;
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }

    public static byte[] encode(SignalRecord.FrameBatch batch) {
        BatchEncoder e = new BatchEncoder().begin();
        for (SignalRecord.Frame f : batch.frames())
            e.frame(
                    f.scheme(),
                    f.sequence(),
                    f.trial(),
                    f.epoch(),
                    f.iteration(),
                    f.level(),
                    f.modelTimeSeconds(),
                    f.wallClockMicros(),
                    f.values(),
                    f.values().length);
        return e.finish();
    }

    public static byte[] encode(SignalRecord.Resumed notice) {
        byte[] owner = notice.owner().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 8 + 8 + 4 + owner.length)
                .put(RESUMED)
                .put(FORMAT)
                .putLong(notice.sequence())
                .putLong(notice.atMicros())
                .putInt(owner.length)
                .put(owner)
                .array();
    }

    /** @throws RecordFormatException naming what is wrong, for a truncated, oversized or unknown record */
    public static SignalRecord decode(byte[] value) {
        if (value == null) throw new RecordFormatException("signals record: null value");
        ByteBuffer b = ByteBuffer.wrap(value);
        try {
            byte kind = b.get();
            byte format = b.get();
            if (format != FORMAT)
                throw new RecordFormatException(
                        "signals record: format " + format + " is not supported (this instance reads " + FORMAT + ")");
            SignalRecord r = switch (kind) {
                case FRAMES -> frames(b);
                case RESUMED -> resumed(b);
                default ->
                    throw new RecordFormatException(
                            "signals record: kind must be 'F' (frames) or 'R' (resumed), was " + kind);
            };
            if (b.hasRemaining())
                throw new RecordFormatException("signals record: " + b.remaining() + " bytes left over");
            return r;
        } catch (BufferUnderflowException e) {
            throw new RecordFormatException(
                    "signals record: truncated at byte " + b.position() + " of " + value.length, e);
        }
    }

    private static SignalRecord.FrameBatch frames(ByteBuffer b) {
        int count = b.getInt();
        if (count < 0 || count > b.remaining() / FRAME_HEADER)
            throw new RecordFormatException("signals record: frame count must be 0.." + b.remaining() / FRAME_HEADER
                    + " (what the record holds), was " + count);
        List<SignalRecord.Frame> frames = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int scheme = b.getInt();
            long sequence = b.getLong();
            long trial = b.getLong();
            int epoch = b.getInt();
            int iteration = b.getInt();
            int level = b.getInt();
            double time = b.getDouble();
            long wall = b.getLong();
            int n = b.getInt();
            if (n < 0 || n > MAX_VALUES || n > b.remaining() / 8)
                throw new RecordFormatException("signals record: frame " + k + ": value count must be 0.."
                        + Math.min(MAX_VALUES, b.remaining() / 8) + " (what the record holds), was " + n);
            double[] values = new double[n];
            b.asDoubleBuffer().get(values);
            b.position(b.position() + 8 * n);
            frames.add(new SignalRecord.Frame(scheme, sequence, trial, epoch, iteration, level, time, wall, values));
        }
        return new SignalRecord.FrameBatch(frames);
    }

    private static SignalRecord.Resumed resumed(ByteBuffer b) {
        long sequence = b.getLong();
        long at = b.getLong();
        int length = b.getInt();
        if (length < 1 || length > b.remaining())
            throw new RecordFormatException(
                    "signals record: owner length must be 1.." + b.remaining() + ", was " + length);
        byte[] owner = new byte[length];
        b.get(owner);
        return new SignalRecord.Resumed(new String(owner, StandardCharsets.UTF_8), sequence, at);
    }
}
