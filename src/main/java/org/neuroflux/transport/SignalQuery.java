package org.neuroflux.transport;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neuroflux.config.NeurofluxConfig;
import org.neuroflux.pipeline.BadRequestException;
import org.neuroflux.pipeline.OverflowPolicy;
import org.neuroflux.pipeline.Session;
import org.neuroflux.pipeline.SubscriberSpec;

/**
 * Query parameters of /ws/sessions/{id}/signals: {@code channels}, {@code factors} (1-based or
 * names), {@code schemes}, {@code levels} (a deep model: 1 and/or 2), {@code decimate}, {@code format} (json | binary), {@code policy}
 * (drop-oldest | lossless), {@code buffer}. Every problem is collected for one 400 answer.
 */
record SignalQuery(SubscriberSpec spec, FrameCodec.Format format) {
    private static final List<String> KNOWN = List.of(
            "channels", "factors", "schemes", "levels", "decimate", "format", "policy", "buffer", "access_token");

    static SignalQuery parse(Map<String, List<String>> params, Session session, NeurofluxConfig config) {
        List<String> problems = new ArrayList<>();
        for (String k : params.keySet())
            if (!KNOWN.contains(k)) problems.add(k + ": unknown parameter (known: " + String.join(", ", KNOWN) + ")");
        List<String> factorNames = session.spec().factorNames();
        List<String> channels = values(params, "channels");
        problems.addAll(SubscriberSpec.channelProblems(channels));
        Set<Integer> factors = new HashSet<>();
        for (String f : values(params, "factors")) {
            int found = -1;
            for (int i = 0; i < factorNames.size(); i++) if (factorNames.get(i).equalsIgnoreCase(f)) found = i;
            if (found < 0 && f.matches("\\d{1,4}")) found = Integer.parseInt(f) - 1;
            if (found < 0 || found >= factorNames.size())
                problems.add("factors: '" + f + "' is not a factor (1.." + factorNames.size() + " or a name)");
            else factors.add(found);
        }
        Set<Integer> schemes = new HashSet<>();
        for (String s : values(params, "schemes")) {
            try {
                int idx = session.spec().schemeIndex(s);
                if (idx < 0) problems.add("schemes: session does not run " + s);
                else schemes.add(idx);
            } catch (IllegalArgumentException e) {
                problems.add("schemes: " + e.getMessage());
            }
        }
        Set<Integer> levels = new HashSet<>();
        int depth = session.lowerLayout() == null ? 1 : 2;
        for (String l : values(params, "levels")) {
            if (l.equals("1") || (l.equals("2") && depth == 2)) levels.add(Integer.parseInt(l));
            else
                problems.add("levels: '" + (l.length() > 64 ? l.substring(0, 64) + "..." : l) + "' is not a level of "
                        + (depth == 1 ? "this single-level model (only 1)" : "this deep model (1 = top, 2 = lower)"));
        }
        int decimation = integer(params, "decimate", 1, 1, 1_000_000, problems);
        int buffer = integer(
                params,
                "buffer",
                config.backpressure().subscriberBufferFrames(),
                2,
                config.backpressure().maxSubscriberBufferFrames(),
                problems);
        FrameCodec.Format format = FrameCodec.Format.JSON;
        String fmt = single(params, "format");
        if (fmt != null) {
            if (fmt.equals("binary")) format = FrameCodec.Format.BINARY;
            else if (!fmt.equals("json")) problems.add("format: must be json or binary, was " + fmt);
        }
        OverflowPolicy policy = session.spec().maxPacing()
                ? OverflowPolicy.LOSSLESS
                : OverflowPolicy.parse(config.backpressure().defaultPolicy());
        String pol = single(params, "policy");
        if (pol != null) {
            try {
                policy = OverflowPolicy.parse(pol);
            } catch (IllegalArgumentException e) {
                problems.add("policy: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) throw new BadRequestException(400, problems);
        return new SignalQuery(
                SubscriberSpec.of(channels, factors, schemes, decimation, buffer, policy, levels), format);
    }

    private static List<String> values(Map<String, List<String>> params, String key) {
        List<String> out = new ArrayList<>();
        for (String v : params.getOrDefault(key, List.of())) {
            for (String part : v.split(",")) if (!part.isBlank()) out.add(part.trim());
        }
        return out;
    }

    private static String single(Map<String, List<String>> params, String key) {
        List<String> v = params.get(key);
        return v == null || v.isEmpty() ? null : v.get(v.size() - 1).trim();
    }

    private static int integer(
            Map<String, List<String>> params, String key, int dflt, int min, int max, List<String> problems) {
        String v = single(params, key);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) problems.add(key + ": must be in " + min + ".." + max + ", was " + v);
            return n;
        } catch (NumberFormatException e) {
            problems.add(key + ": must be an integer, was " + v);
            return dflt;
        }
    }
}
