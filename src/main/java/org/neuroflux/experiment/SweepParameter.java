package org.neuroflux.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.SolverParameters;

/**
 * One swept quantity of a model and its values, parsed from {@code NAME=VALUES}:
 * <ul>
 *   <li>NAME: {@code alpha}, {@code beta}, {@code tau}, {@code erp}, {@code zeta}, {@code eta}; or
 *       {@code C:MODALITY:OUTCOME} (that entry of C at every time point) or {@code D:FACTOR:STATE}
 *       (that entry of D, and of d when the model learns d), each named or 1-based;</li>
 *   <li>VALUES: a list {@code 1,2,4} or an evenly spaced range {@code LOW:HIGH:COUNT}.</li>
 * </ul>
 *
 * @param column the CSV column name: the parameter, or C.modality.outcome / D.factor.state
 * @param values the values, in order
 */
public record SweepParameter(String column, Kind kind, int array, int entry, double[] values) {
    /** What a value replaces. */
    public enum Kind {
        TAU,
        ERP,
        ALPHA,
        BETA,
        ZETA,
        ETA,
        PREFERENCE,
        INITIAL_STATE
    }

    /** Parses NAME=VALUES against the model (names of modalities, outcomes, factors and states). */
    public static SweepParameter parse(String text, GenerativeModel model) {
        int eq = text.indexOf('=');
        if (eq <= 0)
            throw new IllegalArgumentException(
                    "--param '" + text + "': expected NAME=VALUES, e.g. alpha=1,2,4 or beta=0.5:2:4");
        String name = text.substring(0, eq).trim();
        double[] values = values(text, text.substring(eq + 1).trim());
        String lower = name.toLowerCase(Locale.ROOT);
        Kind scalar = switch (lower) {
            case "tau" -> Kind.TAU;
            case "erp" -> Kind.ERP;
            case "alpha" -> Kind.ALPHA;
            case "beta" -> Kind.BETA;
            case "zeta" -> Kind.ZETA;
            case "eta" -> Kind.ETA;
            default -> null;
        };
        if (scalar != null) return new SweepParameter(lower, scalar, -1, -1, values);
        String[] parts = name.split(":");
        if (parts.length == 3 && (parts[0].equals("C") || parts[0].equals("D"))) {
            if (parts[0].equals("C")) {
                int g = index(
                        text,
                        "modality",
                        parts[1],
                        model.modalities().stream().map(m -> m.name()).toList());
                int o = index(
                        text, "outcome", parts[2], model.modalities().get(g).outcomes());
                return new SweepParameter(
                        "C." + model.modalities().get(g).name() + "."
                                + model.modalities().get(g).outcomes().get(o),
                        Kind.PREFERENCE,
                        g,
                        o,
                        values);
            }
            int f = index(
                    text,
                    "factor",
                    parts[1],
                    model.factors().stream().map(x -> x.name()).toList());
            int s = index(text, "state", parts[2], model.factors().get(f).states());
            return new SweepParameter(
                    "D." + model.factors().get(f).name() + "."
                            + model.factors().get(f).states().get(s),
                    Kind.INITIAL_STATE,
                    f,
                    s,
                    values);
        }
        throw new IllegalArgumentException("--param '" + text + "': NAME '" + name
                + "' is not one of alpha, beta, tau, erp, zeta, eta, C:MODALITY:OUTCOME, D:FACTOR:STATE");
    }

    private static double[] values(String text, String spec) {
        try {
            String[] range = spec.split(":");
            if (range.length == 3) {
                double low = Double.parseDouble(range[0]);
                double high = Double.parseDouble(range[1]);
                int count = Integer.parseInt(range[2].trim());
                if (count < 1)
                    throw new IllegalArgumentException("--param '" + text + "': COUNT must be >= 1, was " + count);
                double[] v = new double[count];
                for (int i = 0; i < count; i++) v[i] = count == 1 ? low : low + (high - low) * i / (count - 1);
                return v;
            }
            List<Double> list = new ArrayList<>();
            for (String s : spec.split(",")) list.add(Double.parseDouble(s.trim()));
            double[] v = new double[list.size()];
            for (int i = 0; i < v.length; i++) v[i] = list.get(i);
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--param '" + text + "': VALUES '" + spec + "' is not a list a,b,c or a range LOW:HIGH:COUNT");
        }
    }

    private static int index(String text, String what, String key, List<String> names) {
        int i = names.indexOf(key);
        if (i >= 0) return i;
        try {
            int oneBased = Integer.parseInt(key.trim());
            if (oneBased >= 1 && oneBased <= names.size()) return oneBased - 1;
        } catch (NumberFormatException e) {
            // not an index either: reported below
        }
        throw new IllegalArgumentException("--param '" + text + "': " + what + " '" + key + "' is not one of " + names
                + " (or 1.." + names.size() + ")");
    }

    /** The model with this quantity set to value (a bad value is reported naming the column). */
    public GenerativeModel apply(GenerativeModel model, double value) {
        SolverParameters p = model.parameters();
        try {
            return switch (kind) {
                case TAU ->
                    model.withParameters(
                            new SolverParameters(value, p.erp(), p.alpha(), p.beta(), p.zeta(), p.eta(), p.chi()));
                case ERP ->
                    model.withParameters(
                            new SolverParameters(p.tau(), value, p.alpha(), p.beta(), p.zeta(), p.eta(), p.chi()));
                case ALPHA ->
                    model.withParameters(
                            new SolverParameters(p.tau(), p.erp(), value, p.beta(), p.zeta(), p.eta(), p.chi()));
                case BETA ->
                    model.withParameters(
                            new SolverParameters(p.tau(), p.erp(), p.alpha(), value, p.zeta(), p.eta(), p.chi()));
                case ZETA ->
                    model.withParameters(
                            new SolverParameters(p.tau(), p.erp(), p.alpha(), p.beta(), value, p.eta(), p.chi()));
                case ETA ->
                    model.withParameters(
                            new SolverParameters(p.tau(), p.erp(), p.alpha(), p.beta(), p.zeta(), value, p.chi()));
                case PREFERENCE -> {
                    if (!Double.isFinite(value))
                        throw new IllegalArgumentException("C entries must be finite, was " + value);
                    GenerativeModel.Builder b = model.toBuilder();
                    double[][] c = new double[model.modalityCount()][];
                    for (int g = 0; g < c.length; g++) c[g] = model.preferences(g);
                    int no = model.modalities().get(array).outcomeCount();
                    for (int t = 0; t < model.epochs(); t++) c[array][entry + no * t] = value;
                    b.preferences = c;
                    yield b.build();
                }
                case INITIAL_STATE -> {
                    if (!(value >= 0) || !Double.isFinite(value))
                        throw new IllegalArgumentException("D entries must be finite and >= 0, was " + value);
                    GenerativeModel.Builder b = model.toBuilder();
                    double[][] d = new double[model.factorCount()][];
                    for (int f = 0; f < d.length; f++) d[f] = model.initialStates(f);
                    d[array][entry] = value;
                    b.initialStates = d;
                    if (model.learnsInitialStates()) {
                        double[][] counts = new double[model.factorCount()][];
                        for (int f = 0; f < counts.length; f++) counts[f] = model.initialCounts(f);
                        counts[array][entry] = value;
                        b.initialCounts = counts;
                    }
                    yield b.build();
                }
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--param " + column + " = " + value + ": " + e.getMessage(), e);
        }
    }
}
