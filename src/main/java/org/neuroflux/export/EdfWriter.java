package org.neuroflux.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neuroflux.signal.SignalKind;

/**
 * Writes a {@link Recording} as EDF+C (European Data Format plus, continuous; Kemp and Olivan 2003):
 * a 256-byte header plus 256 bytes per signal, then data records of 16-bit little-endian two's
 * complement samples, each channel's digital range -32768..32767 mapped linearly onto its physical
 * range, and an "EDF Annotations" signal with one time-keeping TAL per record followed by the
 * recording's annotations (epochs, outcomes, actions).
 *
 * <p>Data records last at most 1 s: a record holds the largest number of samples, at most one second's
 * worth, that divides the recording's length and whose duration is exact in the header's 8 characters
 * (at 64 Hz and Ni = 16: records of 64 samples when the length allows, else 48, 32 or 16). Physical
 * ranges are fixed for rates ([0, 1]), phases ([-pi, pi]) and spike counts ([0, 256]); for every other
 * channel they are the data's minimum and maximum rounded outwards to 8 characters, so the quantisation
 * error is at most (max - min) / 65535 / 2. The start date is fixed (01.01.85 00.00.00, EDF's
 * anonymised date), so the same recording always gives the same bytes.
 *
 * <p>Stateless; thread-safe.
 */
public final class EdfWriter {
    public static final int DIGITAL_MIN = -32768;
    public static final int DIGITAL_MAX = 32767;
    static final String ANNOTATIONS_LABEL = "EDF Annotations";

    private EdfWriter() {}

    public static void write(Recording rec, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(rec, out);
        }
    }

    public static void write(Recording rec, OutputStream out) throws IOException {
        int channels = rec.channels().size();
        int perRecord = samplesPerRecord(rec.sampleCount(), rec.timebase().samplesPerSecond());
        int records = rec.sampleCount() / perRecord;
        String recordSeconds = seconds(perRecord / rec.timebase().samplesPerSecond());
        List<byte[]> tals = annotationRecords(rec, records, perRecord);
        int talBytes = 0;
        for (byte[] t : tals) talBytes = Math.max(talBytes, t.length);
        int talSamples = (talBytes + 1) / 2;
        String[] physMin = new String[channels];
        String[] physMax = new String[channels];
        for (int c = 0; c < channels; c++) {
            double[] range = physicalRange(rec, c);
            physMin[c] = number(range[0], false);
            physMax[c] = number(range[1], true);
            if (Double.parseDouble(physMax[c]) <= Double.parseDouble(physMin[c]))
                physMax[c] = number(Double.parseDouble(physMin[c]) + 1, true);
        }
        int signals = channels + 1;
        StringBuilder h = new StringBuilder(256 * (signals + 1));
        field(h, "0", 8);
        field(h, "X X X X", 80);
        field(
                h,
                "Startdate 01-JAN-1985 X X neuroflux model=" + token(rec.model()) + " scheme=" + token(rec.scheme())
                        + " trials=" + rec.trialCount(),
                80);
        field(h, "01.01.85", 8);
        field(h, "00.00.00", 8);
        field(h, Integer.toString(256 * (signals + 1)), 8);
        field(h, "EDF+C", 44);
        field(h, Integer.toString(records), 8);
        field(h, recordSeconds, 8);
        field(h, Integer.toString(signals), 4);
        for (int c = 0; c < channels; c++) field(h, rec.channel(c).label(), 16);
        field(h, ANNOTATIONS_LABEL, 16);
        for (int c = 0; c < channels; c++) field(h, ascii(rec.channel(c).description()), 80);
        field(h, "", 80);
        for (int c = 0; c < channels; c++) field(h, rec.channel(c).unit(), 8);
        field(h, "", 8);
        for (int c = 0; c < channels; c++) field(h, physMin[c], 8);
        field(h, "-1", 8);
        for (int c = 0; c < channels; c++) field(h, physMax[c], 8);
        field(h, "1", 8);
        for (int c = 0; c < signals; c++) field(h, Integer.toString(DIGITAL_MIN), 8);
        for (int c = 0; c < signals; c++) field(h, Integer.toString(DIGITAL_MAX), 8);
        for (int c = 0; c < channels; c++) field(h, prefiltering(rec.channel(c).kind()), 80);
        field(h, "", 80);
        for (int c = 0; c < channels; c++) field(h, Integer.toString(perRecord), 8);
        field(h, Integer.toString(talSamples), 8);
        for (int c = 0; c < signals; c++) field(h, "", 32);
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));

        double[] gain = new double[channels];
        double[] low = new double[channels];
        for (int c = 0; c < channels; c++) {
            low[c] = Double.parseDouble(physMin[c]);
            gain[c] = (DIGITAL_MAX - DIGITAL_MIN) / (Double.parseDouble(physMax[c]) - low[c]);
        }
        byte[] record = new byte[2 * (channels * perRecord + talSamples)];
        for (int r = 0; r < records; r++) {
            int pos = 0;
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < perRecord; i++) {
                    int n = r * perRecord + i;
                    double v = rec.value(c, n);
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException(
                                "channel " + rec.channel(c).name() + " is " + v + " at sample " + n);
                    }
                    long d = Math.round((v - low[c]) * gain[c]) + DIGITAL_MIN;
                    int digital = (int) Math.max(DIGITAL_MIN, Math.min(DIGITAL_MAX, d));
                    record[pos++] = (byte) digital;
                    record[pos++] = (byte) (digital >> 8);
                }
            }
            byte[] tal = tals.get(r);
            System.arraycopy(tal, 0, record, pos, tal.length);
            java.util.Arrays.fill(record, pos + tal.length, record.length, (byte) 0);
            out.write(record);
        }
        out.flush();
    }

    /**
     * Samples per data record: the largest divisor of the length that lasts at most 1 s and whose
     * duration is written exactly in 8 characters.
     */
    static int samplesPerRecord(int samples, double samplesPerSecond) {
        if (samples < 1) throw new IllegalArgumentException("nothing to write: 0 samples");
        int max = (int) Math.min(samples, Math.floor(samplesPerSecond));
        for (int d = Math.max(1, max); d >= 1; d--) {
            if (samples % d != 0) continue;
            BigDecimal duration =
                    BigDecimal.valueOf(d).divide(BigDecimal.valueOf(samplesPerSecond), 12, RoundingMode.HALF_EVEN);
            String s = duration.stripTrailingZeros().toPlainString();
            if (s.length() <= 8
                    && new BigDecimal(s)
                                    .multiply(BigDecimal.valueOf(samplesPerSecond))
                                    .compareTo(BigDecimal.valueOf(d))
                            == 0) return d;
        }
        throw new IllegalArgumentException(
                "no exact EDF record duration for " + samples + " samples at " + samplesPerSecond + " Hz");
    }

    private static double[] physicalRange(Recording rec, int c) {
        return switch (rec.channel(c).kind()) {
            case RATE -> new double[] {0, 1};
            case PHASE -> new double[] {-Math.PI, Math.PI};
            case SPIKES -> new double[] {0, 256};
            default -> rec.range(c);
        };
    }

    /** v written in at most 8 characters, rounded down (or up) so the written value bounds v. */
    static String number(double v, boolean up) {
        for (int decimals = 7; decimals >= 0; decimals--) {
            String s = new BigDecimal(v)
                    .setScale(decimals, up ? RoundingMode.CEILING : RoundingMode.FLOOR)
                    .stripTrailingZeros()
                    .toPlainString();
            if (s.length() <= 8) return s;
        }
        throw new IllegalArgumentException("value " + v + " does not fit an EDF header field of 8 characters");
    }

    private static List<byte[]> annotationRecords(Recording rec, int records, int perRecord) {
        StringBuilder[] text = new StringBuilder[records];
        double fs = rec.timebase().samplesPerSecond();
        for (int r = 0; r < records; r++) {
            text[r] = new StringBuilder("+")
                    .append(seconds(rec.timebase().seconds((long) r * perRecord)))
                    .append("\u0014\u0014\u0000");
        }
        for (Annotation a : rec.annotations()) {
            int r = (int) Math.min(records - 1, Math.round(a.onsetSeconds() * fs) / perRecord);
            StringBuilder t = text[r].append('+').append(seconds(a.onsetSeconds()));
            if (a.durationSeconds() > 0) t.append('\u0015').append(seconds(a.durationSeconds()));
            t.append('\u0014').append(a.text()).append("\u0014\u0000");
        }
        List<byte[]> out = new ArrayList<>(records);
        for (StringBuilder t : text) out.add(t.toString().getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /** Seconds as EDF+ writes them: plain decimal, no exponent, no trailing zeros. */
    static String seconds(double s) {
        return BigDecimal.valueOf(s).stripTrailingZeros().toPlainString();
    }

    private static String prefiltering(SignalKind kind) {
        return switch (kind) {
            case ERP -> "DoG: Gaussian FWHM 2 bins minus FWHM 16 bins of ln(rate+1/32)";
            case TF, THETA, PHASE -> "Hanning-windowed wavelet, 16-bin (250 ms) window";
            case LFP -> "within-epoch derivative (MATLAB gradient) x 64/s";
            default -> "";
        };
    }

    private static void field(StringBuilder h, String value, int width) {
        String v = ascii(value);
        if (v.length() > width) v = v.substring(0, width);
        h.append(v);
        for (int i = v.length(); i < width; i++) h.append(' ');
    }

    /** Printable ASCII only, as EDF headers require. */
    private static String ascii(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 32 && c < 127 ? c : '?');
        }
        return b.toString();
    }

    private static String token(String s) {
        String t = ascii(s).trim().replace(' ', '_');
        return t.isEmpty() ? "X" : t;
    }
}
