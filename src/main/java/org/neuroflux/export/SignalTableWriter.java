package org.neuroflux.export;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

/**
 * Writes a {@link Recording} as a tidy table, CSV or JSON Lines, in one of two layouts:
 * <ul>
 *   <li>{@link Layout#LONG}: one row per sample and channel:
 *       {@code time_s, trial, epoch, iteration, channel, kind, factor, state, tau, unit, value};</li>
 *   <li>{@link Layout#WIDE}: one row per sample with a column per channel (named by
 *       {@link Channel#name()}): {@code time_s, trial, epoch, iteration, <channels...>}.</li>
 * </ul>
 * Sample n is stamped {@code time_s = n / 64} (the EDF sample time); trial, epoch and iteration are
 * 1-based. Numbers are written in their shortest form that reads back exactly; empty CSV cells and
 * JSON nulls mark what does not apply (a dopamine channel has no state).
 */
public final class SignalTableWriter {
    public enum Format {
        CSV,
        JSONL
    }

    public enum Layout {
        LONG,
        WIDE
    }

    private static final String[] LONG_COLUMNS = {
        "time_s", "trial", "epoch", "iteration", "channel", "kind", "factor", "state", "tau", "unit", "value"
    };

    private SignalTableWriter() {}

    public static void write(Writer out, Recording rec, Format format, Layout layout) throws IOException {
        if (layout == Layout.LONG) writeLong(out, rec, format);
        else writeWide(out, rec, format);
        out.flush();
    }

    private static void writeLong(Writer out, Recording rec, Format format) throws IOException {
        if (format == Format.CSV) out.write(String.join(",", LONG_COLUMNS) + "\n");
        StringBuilder row = new StringBuilder(256);
        int channels = rec.channels().size();
        String[] factor = new String[channels];
        String[] state = new String[channels];
        for (int c = 0; c < channels; c++) {
            Channel ch = rec.channel(c);
            String[] parts = ch.name().split("/");
            factor[c] = ch.factor() >= 0 && parts.length > 1 ? parts[1] : null;
            state[c] = ch.state() >= 0 && parts.length > 2 ? parts[2] : null;
        }
        for (int n = 0; n < rec.sampleCount(); n++) {
            double time = rec.timebase().seconds(n);
            int trial = rec.trialOf(n) + 1;
            int epoch = rec.epochOf(n) + 1;
            int iteration = rec.iterationOf(n) + 1;
            for (int c = 0; c < channels; c++) {
                Channel ch = rec.channel(c);
                Object[] values = {
                    time,
                    trial,
                    epoch,
                    iteration,
                    ch.name(),
                    ch.kind().label(),
                    factor[c],
                    state[c],
                    ch.tau() >= 0 ? Integer.valueOf(ch.tau() + 1) : null,
                    ch.unit(),
                    rec.value(c, n)
                };
                row.setLength(0);
                if (format == Format.CSV) csvRow(row, values);
                else jsonRow(row, LONG_COLUMNS, values);
                out.write(row.append('\n').toString());
            }
        }
    }

    private static void writeWide(Writer out, Recording rec, Format format) throws IOException {
        int channels = rec.channels().size();
        String[] columns = new String[4 + channels];
        columns[0] = "time_s";
        columns[1] = "trial";
        columns[2] = "epoch";
        columns[3] = "iteration";
        for (int c = 0; c < channels; c++) columns[4 + c] = rec.channel(c).name();
        StringBuilder row = new StringBuilder(64 + 24 * channels);
        if (format == Format.CSV) {
            csvRow(row, columns);
            out.write(row.append('\n').toString());
        }
        Object[] values = new Object[columns.length];
        for (int n = 0; n < rec.sampleCount(); n++) {
            values[0] = rec.timebase().seconds(n);
            values[1] = rec.trialOf(n) + 1;
            values[2] = rec.epochOf(n) + 1;
            values[3] = rec.iterationOf(n) + 1;
            for (int c = 0; c < channels; c++) values[4 + c] = rec.value(c, n);
            row.setLength(0);
            if (format == Format.CSV) csvRow(row, values);
            else jsonRow(row, columns, values);
            out.write(row.append('\n').toString());
        }
    }

    private static void csvRow(StringBuilder sb, Object[] values) {
        for (int c = 0; c < values.length; c++) {
            if (c > 0) sb.append(',');
            Object v = values[c];
            if (v == null) continue;
            if (v instanceof String s) {
                boolean quote = s.contains(",") || s.contains("\"") || s.contains("\n");
                sb.append(quote ? '"' + s.replace("\"", "\"\"") + '"' : s);
            } else {
                number(sb, v);
            }
        }
    }

    private static void jsonRow(StringBuilder sb, String[] columns, Object[] values) {
        sb.append('{');
        for (int c = 0; c < values.length; c++) {
            if (c > 0) sb.append(',');
            string(sb, columns[c]);
            sb.append(':');
            Object v = values[c];
            if (v == null || (v instanceof Double d && !Double.isFinite(d))) sb.append("null");
            else if (v instanceof String s) string(sb, s);
            else number(sb, v);
        }
        sb.append('}');
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (ch < 32) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    else sb.append(ch);
                }
            }
        }
        sb.append('"');
    }

    private static void number(StringBuilder sb, Object v) {
        if (v instanceof Double d) sb.append(Double.toString(d).toLowerCase(Locale.ROOT)); // shortest exact repr
        else sb.append(v);
    }
}
