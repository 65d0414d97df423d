package org.neuroflux.pipeline;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.neuroflux.math.SpmMath;
import org.neuroflux.signal.SignalKind;

/**
 * What one subscriber asked for: channel kinds, factors, schemes, decimation, buffer and policy.
 * {@link #selection(FrameLayout)} resolves it to the stored indices to encode, in order.
 *
 * @param kinds       channel kinds, in the order they appear in each frame
 * @param factors     0-based factors kept for per-factor kinds (empty = all)
 * @param schemes     0-based indices into the session's schemes (empty = all)
 * @param decimation  keep iterations whose sequence number is a multiple of this (1 = all)
 * @param bufferFrames bounded buffer size
 * @param policy      overflow policy
 * @param levels      a deep model's levels to receive, 1 (top) and/or 2 (empty = both); frames of the
 *                    other level are not sent (docs/protocol.md, "Deep models")
 */
public record SubscriberSpec(
        List<SignalKind> kinds,
        Set<Integer> factors,
        Set<Integer> schemes,
        int decimation,
        int bufferFrames,
        OverflowPolicy policy,
        Set<Integer> levels) {
    /** The channels streamed when none are chosen. */
    public static final List<SignalKind> DEFAULT_KINDS =
            List.of(SignalKind.RATE, SignalKind.POLICY, SignalKind.PRECISION, SignalKind.DOPAMINE);

    public SubscriberSpec {
        Objects.requireNonNull(policy, "policy");
        kinds = List.copyOf(
                EnumSet.copyOf(kinds.isEmpty() ? DEFAULT_KINDS : kinds).stream().toList());
        factors = Set.copyOf(factors);
        schemes = Set.copyOf(schemes);
        levels = Set.copyOf(levels);
        if (decimation < 1) throw new IllegalArgumentException("decimation must be >= 1, was " + decimation);
        if (bufferFrames < 1) throw new IllegalArgumentException("bufferFrames must be >= 1, was " + bufferFrames);
    }

    /** A spec receiving every level. */
    public SubscriberSpec(
            List<SignalKind> kinds,
            Set<Integer> factors,
            Set<Integer> schemes,
            int decimation,
            int bufferFrames,
            OverflowPolicy policy) {
        this(kinds, factors, schemes, decimation, bufferFrames, policy, Set.of());
    }

    /** Whether frames of this level are wanted (0, a single-level session's, always are). */
    public boolean acceptsLevel(int level) {
        return level == 0 || levels.isEmpty() || levels.contains(level);
    }

    /**
     * A spec whose kinds are given by their labels ("rate", "lfp", ...; "all" for every streamed kind).
     *
     * @throws IllegalArgumentException for a label that names no streamed kind; see {@link #channelProblems}
     */
    public static SubscriberSpec of(
            List<String> channels,
            Set<Integer> factors,
            Set<Integer> schemes,
            int decimation,
            int bufferFrames,
            OverflowPolicy policy) {
        return of(channels, factors, schemes, decimation, bufferFrames, policy, Set.of());
    }

    /** As {@link #of(List, Set, Set, int, int, OverflowPolicy)}, for some levels of a deep model. */
    public static SubscriberSpec of(
            List<String> channels,
            Set<Integer> factors,
            Set<Integer> schemes,
            int decimation,
            int bufferFrames,
            OverflowPolicy policy,
            Set<Integer> levels) {
        List<SignalKind> kinds = new ArrayList<>();
        for (String c : channels) {
            if (c.trim().equalsIgnoreCase("all")) kinds.addAll(SignalKind.streamedKinds());
            else kinds.add(SignalKind.parse(c, SignalKind.streamedKinds(), "channel"));
        }
        return new SubscriberSpec(kinds, factors, schemes, decimation, bufferFrames, policy, levels);
    }

    /** One message per channel label that {@link #of} would refuse, naming it and the labels known. */
    public static List<String> channelProblems(List<String> channels) {
        List<String> problems = new ArrayList<>();
        for (String c : channels) {
            if (c.trim().equalsIgnoreCase("all")) continue;
            try {
                SignalKind.parse(c, SignalKind.streamedKinds(), "channel");
            } catch (IllegalArgumentException e) {
                problems.add("channels: " + e.getMessage() + ", all");
            }
        }
        return problems;
    }

    public boolean acceptsScheme(int scheme) {
        return schemes.isEmpty() || schemes.contains(scheme);
    }

    /** The session's scheme indices this subscriber receives, in the session's order (each message carries them in this order). */
    public int[] schemeOrder(int sessionSchemes) {
        int n = 0;
        for (int e = 0; e < sessionSchemes; e++) if (acceptsScheme(e)) n++;
        int[] order = new int[n];
        for (int e = 0, k = 0; e < sessionSchemes; e++) if (acceptsScheme(e)) order[k++] = e;
        return order;
    }

    /** The resolved channel list of a single-level session. */
    public Selection selection(FrameLayout layout) {
        return selection(layout, null);
    }

    /**
     * The resolved channel list: the layout's channels, then, for a deep model, the lower level's
     * ({@code lower} non-null) with their labels prefixed {@code level2/} ({@code factors} narrows the
     * top level's only).
     */
    public Selection selection(FrameLayout layout, FrameLayout lower) {
        List<FrameLayout.Channel> chosen = new ArrayList<>();
        List<Integer> levels = new ArrayList<>();
        for (SignalKind k : lower == null || acceptsLevel(1) ? kinds : List.<SignalKind>of()) {
            for (FrameLayout.Channel c : layout.channels(k)) {
                if (k.perFactor() && !factors.isEmpty() && !factors.contains(c.factor())) continue;
                chosen.add(c);
                levels.add(lower == null ? 0 : 1);
            }
        }
        if (lower != null && acceptsLevel(2)) {
            for (SignalKind k : kinds) {
                for (FrameLayout.Channel c : lower.channels(k)) {
                    chosen.add(new FrameLayout.Channel(
                            c.kind(), c.factor(), "level2/" + c.label(), c.storedIndex(), c.frequencyHz()));
                    levels.add(2);
                }
            }
        }
        int[] index = new int[chosen.size()];
        boolean[] log = new boolean[chosen.size()];
        int[] level = new int[chosen.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = chosen.get(i).storedIndex();
            log[i] = chosen.get(i).kind() == SignalKind.POTENTIAL;
            level[i] = levels.get(i);
        }
        return new Selection(List.copyOf(chosen), index, log, level);
    }

    /**
     * Resolved channels: value i of an encoded frame is stored value index[i], log-transformed where
     * log[i], taken from frames of level[i] (0 in a single-level session) and NaN in frames of another
     * level (a deep model's idle level).
     */
    public record Selection(List<FrameLayout.Channel> channels, int[] index, boolean[] log, int[] level) {
        public Selection(List<FrameLayout.Channel> channels, int[] index, boolean[] log) {
            this(channels, index, log, new int[index.length]);
        }

        /** The level of channel i: 0 in a single-level session, else 1 (top) or 2. */
        public int level(int i) {
            return level[i];
        }

        public int size() {
            return index.length;
        }

        /** Value i of this selection for scheme e (an index into the session's schemes). */
        public double value(SignalFrame frame, int scheme, int i) {
            if (level[i] != frame.level()) return Double.NaN;
            double v = frame.value(scheme, index[i]);
            return log[i] ? SpmMath.ln(v) : v;
        }
    }
}
