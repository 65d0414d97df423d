package org.neuroflux.dynamics;

/**
 * Euclidean geometry of the probability simplex for the {@link Scheme#EUCLIDEAN} scheme
 * (docs/algorithm.md section 5.5): the exact Euclidean projection of a point onto the simplex, and of a velocity
 * onto the simplex's tangent cone at a belief (the projected gradient flow's velocity). Both sort
 * into a caller's scratch array (at least n long) and allocate nothing.
 */
public final class SimplexProjection {
    private SimplexProjection() {}

    /**
     * Replaces v[off, off + n) by its Euclidean projection onto {x >= 0, sum x = 1}: x = max(v - theta, 0)
     * with the threshold theta found from v sorted in decreasing order (the sort-based algorithm of
     * Held, Wolfe and Crowder): theta = (sum of the rho largest - 1) / rho for the largest rho whose
     * rho-th largest value still exceeds that threshold. Components below theta become exactly 0.
     */
    public static void project(double[] v, int off, int n, double[] scratch) {
        System.arraycopy(v, off, scratch, 0, n);
        sortAscending(scratch, n);
        double cumulative = 0;
        double theta = 0;
        for (int k = 1; k <= n; k++) {
            double u = scratch[n - k]; // k-th largest
            cumulative += u;
            double candidate = (cumulative - 1) / k;
            if (u - candidate > 0) theta = candidate;
            else break; // the condition holds for a prefix of k only
        }
        for (int i = 0; i < n; i++) v[off + i] = Math.max(v[off + i] - theta, 0);
    }

    /**
     * Writes into out[0, n) the Euclidean projection of the velocity g onto the tangent cone of the
     * simplex at the belief s: {sum v = 0, v_i >= 0 wherever s_i = 0}. Free components (s_i > 0)
     * move by g_i - mu, components on the boundary by max(g_i - mu, 0), with mu such that the
     * velocities sum to 0. Boundary components join the moving set in decreasing order of g while
     * g exceeds the current mean; when s is interior this is simply g - mean(g).
     */
    public static void tangentCone(double[] s, int sOff, double[] g, int gOff, double[] out, int n, double[] scratch) {
        double sum = 0;
        int free = 0;
        int onBoundary = 0;
        for (int i = 0; i < n; i++) {
            if (s[sOff + i] > 0) {
                sum += g[gOff + i];
                free++;
            } else {
                scratch[onBoundary++] = g[gOff + i];
            }
        }
        if (free == 0) throw new IllegalArgumentException("belief has no positive component: not on the simplex");
        double mu = sum / free;
        if (onBoundary > 0) {
            sortAscending(scratch, onBoundary);
            int moving = free;
            for (int k = onBoundary - 1; k >= 0 && scratch[k] > mu; k--) {
                sum += scratch[k];
                moving++;
                mu = sum / moving;
            }
        }
        for (int i = 0; i < n; i++) {
            double v = g[gOff + i] - mu;
            out[i] = s[sOff + i] > 0 ? v : Math.max(v, 0);
        }
    }

    /** Sorts a[0, n) in increasing order without allocating: insertion sort when short, heapsort otherwise. */
    static void sortAscending(double[] a, int n) {
        if (n <= 32) {
            for (int i = 1; i < n; i++) {
                double x = a[i];
                int j = i - 1;
                while (j >= 0 && a[j] > x) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = x;
            }
            return;
        }
        for (int i = n / 2 - 1; i >= 0; i--) siftDown(a, i, n);
        for (int end = n - 1; end > 0; end--) {
            double t = a[0];
            a[0] = a[end];
            a[end] = t;
            siftDown(a, 0, end);
        }
    }

    private static void siftDown(double[] a, int i, int n) {
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) return;
            if (child + 1 < n && a[child + 1] > a[child]) child++;
            if (a[i] >= a[child]) return;
            double t = a[i];
            a[i] = a[child];
            a[child] = t;
            i = child;
        }
    }
}
