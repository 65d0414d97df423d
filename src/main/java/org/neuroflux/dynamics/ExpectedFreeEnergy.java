package org.neuroflux.dynamics;

/**
 * spm_MDP_G: the epistemic part of the (negative) expected free energy of a belief over hidden
 * states, E_q[ln P(o|s)] - E_q[ln Q(o)], over the joint outcome space of all modalities. The
 * joint outcome distributions and their logs are fixed within a trial, so they are tabulated in
 * {@link #prepare()} and a call costs only multiply-adds plus one log per joint outcome.
 */
final class ExpectedFreeEnergy {
    /** spm_MDP_G's own floor: log(x + exp(-16)), and its threshold on qx. */
    private static final double FLOOR = Math.exp(-16);

    private final AgentModel m;
    private final int outcomes; // prod No_g
    private final double[] po; // po[n * outcomes + i]
    private final double[] lnPo;
    private final double[] qx;
    private final double[] qo;
    private final int[][] subscript; // state of factor f in joint state n

    ExpectedFreeEnergy(AgentModel model) {
        this.m = model;
        int n = 1;
        for (int g = 0; g < m.ng; g++) n *= m.no[g];
        outcomes = n;
        po = new double[m.joint * outcomes];
        lnPo = new double[m.joint * outcomes];
        qx = new double[m.joint];
        qo = new double[outcomes];
        subscript = new int[m.nf][m.joint];
        for (int j = 0; j < m.joint; j++) {
            int rest = j;
            for (int f = 0; f < m.nf; f++) {
                subscript[f][j] = rest % m.ns[f];
                rest /= m.ns[f];
            }
        }
    }

    /** Tabulates po = A{1}(:,n) x ... x A{G}(:,n) and its log for every joint state n. */
    void prepare() {
        for (int j = 0; j < m.joint; j++) {
            int base = j * outcomes;
            int size = 1;
            po[base] = 1;
            for (int g = 0; g < m.ng; g++) {
                int no = m.no[g];
                double[] a = m.likelihood[g];
                // outer product with the first modality fastest, as spm_cross(po, A{g}(:,i))
                for (int o = no - 1; o >= 0; o--) {
                    double ao = a[j * no + o];
                    for (int i = 0; i < size; i++) po[base + o * size + i] = po[base + i] * ao;
                }
                size *= no;
            }
            for (int i = 0; i < outcomes; i++) lnPo[base + i] = Math.log(po[base + i] + FLOOR);
        }
    }

    /** spm_MDP_G(A, x) for beliefs x[f] (length Ns_f each). */
    double value(double[][] x) {
        for (int j = 0; j < m.joint; j++) {
            double p = x[0][subscript[0][j]];
            for (int f = 1; f < m.nf; f++) p = p * x[f][subscript[f][j]];
            qx[j] = p;
        }
        double g = 0;
        java.util.Arrays.fill(qo, 0);
        for (int j = 0; j < m.joint; j++) {
            if (!(qx[j] > FLOOR)) continue;
            int base = j * outcomes;
            double w = qx[j];
            double dot = 0;
            for (int i = 0; i < outcomes; i++) {
                double wp = w * po[base + i];
                qo[i] = qo[i] + wp;
                dot += wp * lnPo[base + i];
            }
            g = g + dot;
        }
        double h = 0;
        for (int i = 0; i < outcomes; i++) h += qo[i] * Math.log(qo[i] + FLOOR);
        return g - h;
    }
}
