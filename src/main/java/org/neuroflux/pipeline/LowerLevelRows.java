package org.neuroflux.pipeline;

import java.util.Arrays;
import org.neuroflux.dynamics.InformationLength;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.signal.Dopamine;
import org.neuroflux.signal.FieldPotential;
import org.neuroflux.signal.SignalKind;
import org.neuroflux.signal.Timebase;

/**
 * The frames of a deep model's lower level (docs/protocol.md, "Deep models"): the rows of one lower
 * trial, which ran inside one epoch of the level above, laid out by the lower model's
 * {@link FrameLayout} and computed from its {@link TrialTrace} with the same kernels as the top
 * level's rows (LFP per second within each lower epoch, dopamine from the trial's precision,
 * information length over the lower trial). Time points a settled trial did not reach, and the
 * spectral channels, are NaN. Confined to the session's emitting thread; allocates per higher
 * epoch, never for a single-level session.
 */
final class LowerLevelRows {
    private final FrameLayout layout;
    private double[][] rows = new double[0][];

    LowerLevelRows(FrameLayout layout) {
        this.layout = layout;
    }

    /** Number of lower frames of the last trial filled. */
    int count() {
        return rows.length;
    }

    /** Row r of the last trial (owned by the caller: a copy). */
    double[] row(int r) {
        return rows[r].clone();
    }

    /** Fills the rows of one lower trial (epochs run x Ni iterations). */
    void fill(TrialTrace tr) {
        int ni = tr.iterations;
        int run = tr.epochs;
        int n = ni * run;
        int size = layout.storedSize();
        int nf = layout.factorCount();
        int T = layout.epochs();
        int np = tr.policies;
        int rate = layout.offset(SignalKind.RATE);
        int error = layout.offset(SignalKind.ERROR);
        int lfp = layout.offset(SignalKind.LFP);
        int policy = layout.offset(SignalKind.POLICY);
        int precision = layout.offset(SignalKind.PRECISION);
        int dopamine = layout.offset(SignalKind.DOPAMINE);
        int info = layout.offset(SignalKind.INFOLENGTH);
        int infoWhole = layout.offset(SignalKind.INFOLENGTH_WHOLE_PATH);
        int outcome = layout.offset(SignalKind.OUTCOME);
        int state = layout.offset(SignalKind.STATE);
        double[][] out = new double[n][];
        double[] w = new double[n];
        for (int tau = 0; tau < run; tau++) {
            for (int i = 0; i < ni; i++) {
                int r = tau * ni + i;
                double[] row = new double[size];
                Arrays.fill(row, Double.NaN);
                for (int f = 0; f < nf; f++) {
                    int ns = layout.stateCount(f);
                    for (int j = 0; j < Math.min(T, run); j++) {
                        for (int s = 0; s < ns; s++) {
                            int at = layout.perFactorIndex(f, s, j);
                            int src = i + ni * (s + ns * (j + run * tau));
                            row[rate + at] = tr.xn[f][src];
                            row[error + at] = tr.vn[f][src];
                        }
                    }
                    row[state + f] = tr.s[f][tau] + 1;
                }
                for (int k = 0; k < np; k++) row[policy + k] = np > 1 ? tr.un[k + np * r] : 1;
                w[r] = np > 1 ? tr.wn[r] : tr.w[tau];
                row[precision] = w[r];
                for (int g = 0; g < layout.modalityCount(); g++) row[outcome + g] = tr.o[g][tau] + 1;
                out[r] = row;
            }
        }
        // dopamine over the whole lower trial, as export's dn (its precision is complete by now)
        double[] dn = new double[n];
        Dopamine.trace(w, n, dn);
        double[] unit = new double[ni];
        double[] unitLfp = new double[ni];
        double[] start = new double[64];
        double[] length = new double[nf];
        double[] whole = new double[nf];
        for (int r = 0; r < n; r++) out[r][dopamine] = dn[r];
        for (int f = 0; f < nf; f++) {
            int ns = layout.stateCount(f);
            if (start.length < ns) start = new double[ns];
            for (int j = 0; j < Math.min(T, run); j++) {
                for (int s = 0; s < ns; s++) {
                    int at = rate + layout.perFactorIndex(f, s, j);
                    for (int tau = 0; tau < run; tau++) {
                        for (int i = 0; i < ni; i++) unit[i] = out[tau * ni + i][at];
                        FieldPotential.epoch(unit, 0, ni, Timebase.SPM_SAMPLES_PER_SECOND, unitLfp, 0);
                        for (int i = 0; i < ni; i++) out[tau * ni + i][lfp - rate + at] = unitLfp[i];
                    }
                }
            }
        }
        // information length, as the top level's channel: arcs between stored iterates, summed over time points
        for (int tau = 0; tau < run; tau++) {
            for (int i = 0; i < ni; i++) {
                int r = tau * ni + i;
                for (int f = 0; f < nf; f++) {
                    int ns = layout.stateCount(f);
                    for (int j = 0; j < Math.min(T, run); j++) {
                        int at = rate + layout.perFactorIndex(f, 0, j);
                        if (i == 0) {
                            if (!InformationLength.computed(out[r], at, ns)) continue;
                            for (int s = 0; s < ns; s++) start[s] = tr.x0[f][s + ns * (j + run * tau)];
                            whole[f] += InformationLength.fisherRao(start, 0, out[r], at, ns);
                        } else {
                            double arc = InformationLength.step(out[r - 1], at, out[r], at, ns);
                            length[f] += arc;
                            whole[f] += arc;
                        }
                    }
                    out[r][info + f] = length[f];
                    out[r][infoWhole + f] = whole[f];
                }
            }
        }
        rows = out;
    }
}
