package org.neuroflux.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * The lower level of a deep (hierarchical) model: SPM's {@code MDP.MDP} with {@code MDP.link}. At
 * every epoch of the level above, the lower model is solved afresh from this template, its linked
 * factors' prior over initial states set from the higher level's predicted outcome through the link,
 * and its posterior over initial states, back through the link, becomes the higher level's evidence
 * (docs/model-format.md, "Deep models"). The lower model may itself have a subordinate.
 *
 * @param model              the lower level's model (template)
 * @param fixture            the lower level's fixed states, outcomes and actions, the same at every
 *                           higher epoch
 * @param links              link{f,g} at {@code f + F*g} (F lower factors, one entry per higher modality
 *                           g): an (Ns_f x No_g) column-major matrix, or null where f and g are not linked
 * @param initialStatesGiven per lower factor: true when the template itself names the true initial
 *                           state s(f,1) (0 included), which SPM then keeps; false when it comes from the
 *                           higher outcome through the link
 */
public record Subordinate(GenerativeModel model, TrialFixture fixture, double[][] links, boolean[] initialStatesGiven) {

    public Subordinate {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(fixture, "fixture");
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(initialStatesGiven, "initialStatesGiven");
        int nf = model.factorCount();
        if (links.length == 0 || links.length % nf != 0) {
            throw new IllegalArgumentException(
                    "link has " + links.length + " entries, expected lower factors (" + nf + ") x higher modalities");
        }
        if (initialStatesGiven.length != nf) {
            throw new IllegalArgumentException(
                    "initialStatesGiven has " + initialStatesGiven.length + " entries, expected " + nf);
        }
        boolean any = false;
        double[][] copy = new double[links.length][];
        for (int i = 0; i < links.length; i++) {
            if (links[i] == null) continue;
            int ns = model.factors().get(i % nf).stateCount();
            if (links[i].length % ns != 0) {
                throw new IllegalArgumentException("link{" + (i % nf + 1) + "," + (i / nf + 1) + "} has "
                        + links[i].length + " entries, not a multiple of the lower factor's " + ns + " states");
            }
            copy[i] = links[i].clone();
            any = true;
        }
        if (!any) throw new IllegalArgumentException("link names no lower factor: every link{f,g} is empty");
        links = copy;
        initialStatesGiven = initialStatesGiven.clone();
    }

    /** Number of higher-level modalities the link has columns for. */
    public int higherModalityCount() {
        return links.length / model.factorCount();
    }

    public boolean linked(int f, int g) {
        return links[f + model.factorCount() * g] != null;
    }

    /** link{f,g} (Ns_f x No_g, column-major), a copy; the pair must be linked. */
    public double[] link(int f, int g) {
        return links[f + model.factorCount() * g].clone();
    }

    /** True when the template itself gives the true initial state of lower factor f. */
    public boolean initialStateGiven(int f) {
        return initialStatesGiven[f];
    }

    /** Lower factors with a link, in SPM's order (factor-major, then modality): SPM's mdp.factor. */
    public int[] linkedFactors() {
        int nf = model.factorCount();
        int ng = higherModalityCount();
        int[] out = new int[links.length];
        int n = 0;
        for (int f = 0; f < nf; f++) {
            for (int g = 0; g < ng; g++) if (linked(f, g)) out[n++] = f;
        }
        return Arrays.copyOf(out, n);
    }

    /** Number of levels below the one holding this subordinate (1 for a two-level model). */
    public int depth() {
        return 1 + (model.subordinate() == null ? 0 : model.subordinate().depth());
    }
}
