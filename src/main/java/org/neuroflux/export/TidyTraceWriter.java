package org.neuroflux.export;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.math.SpmMath;
import org.neuroflux.model.GenerativeModel;

/**
 * One row per (trial, epoch, iteration, factor, state, time point): the firing rate (SPM's xn),
 * membrane potential v = ln(rate + 1e-16), prediction error (vn), and the iteration's precision
 * and dopamine. Time is on SPM's display clock: iteration n of the trial ends at n/64 s.
 */
public final class TidyTraceWriter {
    /** Seconds per iteration on SPM's display clock. */
    public static final double SECONDS_PER_ITERATION = 1.0 / 64;

    public enum Format { JSONL, CSV }

    private static final String[] COLUMNS = {"scheme", "trial", "epoch", "iteration", "time_s", "factor", "state", "tau",
        "rate", "potential", "error", "precision", "dopamine"};

    private TidyTraceWriter() {}

    public static void write(Writer out, Format format, GenerativeModel model, String scheme, TrialTrace[] traces) throws IOException {
        writeHeader(out, format);
        for (int trial = 0; trial < traces.length; trial++) writeTrial(out, format, model, scheme, trial, traces[trial]);
        out.flush();
    }

    /** The CSV header line (nothing for JSONL). */
    public static void writeHeader(Writer out, Format format) throws IOException {
        if (format == Format.CSV) out.write(String.join(",", COLUMNS) + "\n");
    }

    /** The rows of one trial (0-based index), so that trials can be written as they are run. */
    public static void writeTrial(Writer out, Format format, GenerativeModel model, String scheme, int trial, TrialTrace tr)
            throws IOException {
        StringBuilder row = new StringBuilder(256);
        int ni = tr.iterations;
        int T = tr.epochs;
        for (int t = 0; t < T; t++) {
            for (int i = 0; i < ni; i++) {
                int n = t * ni + i;
                double precision = tr.wn.length > 0 ? tr.wn[n] : tr.w[0];
                double dopamine = tr.dn.length > 0 ? tr.dn[n] : Double.NaN;
                for (int f = 0; f < tr.states.length; f++) {
                    int ns = tr.states[f];
                    String factor = model.factors().get(f).name();
                    for (int j = 0; j < T; j++) {
                        for (int s = 0; s < ns; s++) {
                            int idx = i + ni * (s + ns * (j + T * t));
                            double rate = tr.xn[f][idx];
                            Object[] values = {scheme, trial + 1, t + 1, i + 1, (n + 1) * SECONDS_PER_ITERATION, factor,
                                model.factors().get(f).states().get(s), j + 1, rate, SpmMath.ln(rate), tr.vn[f][idx], precision, dopamine};
                            row.setLength(0);
                            if (format == Format.CSV) csv(row, values);
                            else json(row, values);
                            out.write(row.append('\n').toString());
                        }
                    }
                }
            }
        }
    }

    private static void csv(StringBuilder sb, Object[] values) {
        for (int c = 0; c < values.length; c++) {
            if (c > 0) sb.append(',');
            Object v = values[c];
            if (v instanceof String str) {
                boolean quote = str.contains(",") || str.contains("\"");
                sb.append(quote ? '"' + str.replace("\"", "\"\"") + '"' : str);
            } else {
                number(sb, v);
            }
        }
    }

    private static void json(StringBuilder sb, Object[] values) {
        sb.append('{');
        for (int c = 0; c < values.length; c++) {
            if (c > 0) sb.append(',');
            sb.append('"').append(COLUMNS[c]).append("\":");
            Object v = values[c];
            if (v instanceof String str) sb.append('"').append(str.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            else if (v instanceof Double d && !Double.isFinite(d)) sb.append("null");
            else number(sb, v);
        }
        sb.append('}');
    }

    private static void number(StringBuilder sb, Object v) {
        if (v instanceof Double d) {
            if (Double.isNaN(d)) sb.append("");
            else sb.append(Double.toString(d).toLowerCase(Locale.ROOT)); // shortest repr that reads back exactly
        } else {
            sb.append(v);
        }
    }
}
