package org.neuroflux.cluster;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The value of an observations-topic record, big-endian binary:
 * <pre>
 *   byte  format (1)
 *   long  receivedAtMicros
 *   int   G, the modality count
 *   G x { int index; and when index == -1: int n, n x double (IEEE 754 bits) }
 * </pre>
 * Doubles travel as their exact bits, so the owner applies the very distribution that was acknowledged.
 */
public final class ObservationCodec {
    public static final byte FORMAT = 1;
    /** Bounds that no valid model exceeds; a corrupt count must not allocate gigabytes. */
    static final int MAX_MODALITIES = 1 << 12;

    static final int MAX_OUTCOMES = 1 << 20;

    private ObservationCodec() {}

    public static byte[] encode(ObservationRecord o) {
        int size = 1 + 8 + 4;
        for (int g = 0; g < o.modalityCount(); g++)
            size += 4 + (o.indices()[g] >= 0 ? 0 : 4 + 8 * o.probabilities()[g].length);
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(FORMAT).putLong(o.receivedAtMicros()).putInt(o.modalityCount());
        for (int g = 0; g < o.modalityCount(); g++) {
            int index = o.indices()[g];
            b.putInt(index);
            if (index >= 0) continue;
            double[] p = o.probabilities()[g];
            b.putInt(p.length);
            for (double v : p) b.putDouble(v);
        }
        return b.array();
    }

    /** @throws RecordFormatException naming what is wrong, for a truncated, oversized or unknown record */
    public static ObservationRecord decode(byte[] value) {
        if (value == null) throw new RecordFormatException("observations record: null value");
        ByteBuffer b = ByteBuffer.wrap(value);
        try {
            byte format = b.get();
            if (format != FORMAT)
                throw new RecordFormatException("observations record: format " + format
                        + " is not supported (this instance reads " + FORMAT + ")");
            long received = b.getLong();
            int modalities = b.getInt();
            if (modalities < 0 || modalities > MAX_MODALITIES)
                throw new RecordFormatException(
                        "observations record: modality count must be 0.." + MAX_MODALITIES + ", was " + modalities);
            int[] indices = new int[modalities];
            double[][] probabilities = new double[modalities][];
            for (int g = 0; g < modalities; g++) {
                indices[g] = b.getInt();
                if (indices[g] >= 0) continue;
                if (indices[g] != -1)
                    throw new RecordFormatException(
                            "observations record: modality " + g + ": outcome index must be >= -1, was " + indices[g]);
                int n = b.getInt();
                if (n < 1 || n > MAX_OUTCOMES || n > b.remaining() / 8)
                    throw new RecordFormatException(
                            "observations record: modality " + g + ": distribution length must be 1.."
                                    + Math.min(MAX_OUTCOMES, b.remaining() / 8) + " (what the record holds), was " + n);
                double[] p = new double[n];
                for (int i = 0; i < n; i++) p[i] = b.getDouble();
                probabilities[g] = p;
            }
            if (b.hasRemaining())
                throw new RecordFormatException(
                        "observations record: " + b.remaining() + " bytes left after " + modalities + " modalities");
            return new ObservationRecord(received, indices, probabilities);
        } catch (BufferUnderflowException e) {
            throw new RecordFormatException(
                    "observations record: truncated at byte " + b.position() + " of " + value.length, e);
        }
    }
}
