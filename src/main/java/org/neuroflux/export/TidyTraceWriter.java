package org.neuroflux.export;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.math.SpmMath;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.signal.SignalKind;
import org.neuroflux.signal.Timebase;

/**
 * One row per (trial, epoch, iteration, factor, state, time point): the firing rate (SPM's xn),
 * membrane potential v = ln(rate + 1e-16), prediction error (vn), and the iteration's precision
 * and dopamine. Time is on SPM's display clock: iteration n of the trial ends at n/64 s.
 *
 * <p>For a deep model every level's rows are written, with two more columns: {@code level} (1 for
 * the top) and {@code higher_epoch} (the epoch of the level above that a lower trial ran in; empty at
 * the top). On the shared clock a lower level's trial nests inside the higher epoch it serves: it
 * runs first (the higher level needs its evidence), then the higher level's Ni iterations follow.
 */
public final class TidyTraceWriter {
    public enum Format {
        JSONL,
        CSV
    }

    private static final String[] COLUMNS = {
        "scheme",
        "trial",
        "epoch",
        "iteration",
        "time_s",
        "factor",
        "state",
        "tau",
        SignalKind.RATE.label(),
        SignalKind.POTENTIAL.label(),
        SignalKind.ERROR.label(),
        SignalKind.PRECISION.label(),
        SignalKind.DOPAMINE.label()
    };
    private static final String[] DEEP_COLUMNS = {
        "scheme",
        "trial",
        "level",
        "higher_epoch",
        "epoch",
        "iteration",
        "time_s",
        "factor",
        "state",
        "tau",
        SignalKind.RATE.label(),
        SignalKind.POTENTIAL.label(),
        SignalKind.ERROR.label(),
        SignalKind.PRECISION.label(),
        SignalKind.DOPAMINE.label()
    };

    private TidyTraceWriter() {}

    public static void write(Writer out, Format format, GenerativeModel model, String scheme, TrialTrace[] traces)
            throws IOException {
        writeHeader(out, format, model);
        for (int trial = 0; trial < traces.length; trial++)
            writeTrial(out, format, model, scheme, trial, traces[trial]);
        out.flush();
    }

    /** The CSV header line (nothing for JSONL); a deep model has the level columns. */
    public static void writeHeader(Writer out, Format format, GenerativeModel model) throws IOException {
        if (format == Format.CSV) out.write(String.join(",", columns(model)) + "\n");
    }

    /** The rows of one trial (0-based index), every level of it, so that trials can be written as they are run. */
    public static void writeTrial(
            Writer out, Format format, GenerativeModel model, String scheme, int trial, TrialTrace tr)
            throws IOException {
        new Rows(out, format, scheme, columns(model), model.subordinate() != null).level(tr, model, trial + 1, 1, 0, 0);
    }

    private static String[] columns(GenerativeModel model) {
        return model.subordinate() != null ? DEEP_COLUMNS : COLUMNS;
    }

    /** Iterations a trial spans on the shared clock: its own, plus its lower levels' trials. */
    public static long duration(TrialTrace tr) {
        long n = (long) tr.epochs * tr.iterations;
        if (tr.lower != null) for (TrialTrace low : tr.lower) n += duration(low);
        return n;
    }

    private static final class Rows {
        private final Writer out;
        private final Format format;
        private final String scheme;
        private final String[] columns;
        private final boolean deep;
        private final StringBuilder row = new StringBuilder(256);

        Rows(Writer out, Format format, String scheme, String[] columns, boolean deep) {
            this.out = out;
            this.format = format;
            this.scheme = scheme;
            this.columns = columns;
            this.deep = deep;
        }

        /** Writes one level's trial (lower levels first, epoch by epoch) from iteration start of the shared clock. */
        void level(TrialTrace tr, GenerativeModel model, int trial, int level, int higherEpoch, long start)
                throws IOException {
            int ni = tr.iterations;
            int T = tr.epochs;
            long clock = start; // iterations elapsed before this epoch's own iterations
            for (int t = 0; t < T; t++) {
                if (tr.lower != null) {
                    level(tr.lower[t], model.subordinate().model(), trial, level + 1, t + 1, clock);
                    clock += duration(tr.lower[t]);
                }
                for (int i = 0; i < ni; i++) {
                    int n = t * ni + i;
                    double precision = tr.wn.length > 0 ? tr.wn[n] : tr.w[0];
                    double dopamine = tr.dn.length > 0 ? tr.dn[n] : Double.NaN;
                    double time = (clock + i + 1) * Timebase.SPM_ITERATION_SECONDS;
                    for (int f = 0; f < tr.states.length; f++) {
                        int ns = tr.states[f];
                        String factor = model.factors().get(f).name();
                        for (int j = 0; j < T; j++) {
                            for (int s = 0; s < ns; s++) {
                                int idx = i + ni * (s + ns * (j + T * t));
                                double rate = tr.xn[f][idx];
                                String state = model.factors().get(f).states().get(s);
                                Object[] values = deep
                                        ? new Object[] {
                                            scheme,
                                            trial,
                                            level,
                                            higherEpoch == 0 ? (Object) Double.NaN : (Object) higherEpoch,
                                            t + 1,
                                            i + 1,
                                            time,
                                            factor,
                                            state,
                                            j + 1,
                                            rate,
                                            SpmMath.ln(rate),
                                            tr.vn[f][idx],
                                            precision,
                                            dopamine
                                        }
                                        : new Object[] {
                                            scheme,
                                            trial,
                                            t + 1,
                                            i + 1,
                                            time,
                                            factor,
                                            state,
                                            j + 1,
                                            rate,
                                            SpmMath.ln(rate),
                                            tr.vn[f][idx],
                                            precision,
                                            dopamine
                                        };
                                row.setLength(0);
                                if (format == Format.CSV) csv(row, values);
                                else json(row, values, columns);
                                out.write(row.append('\n').toString());
                            }
                        }
                    }
                }
                clock += ni;
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

    private static void json(StringBuilder sb, Object[] values, String[] columns) {
        sb.append('{');
        for (int c = 0; c < values.length; c++) {
            if (c > 0) sb.append(',');
            sb.append('"').append(columns[c]).append("\":");
            Object v = values[c];
            if (v instanceof String str)
                sb.append('"')
                        .append(str.replace("\\", "\\\\").replace("\"", "\\\""))
                        .append('"');
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
