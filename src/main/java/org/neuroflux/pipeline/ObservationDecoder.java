package org.neuroflux.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.neuroflux.metrics.RejectReason;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.Modality;

/**
 * Decodes one ingest message into an {@link Observation} of a session's model, or says exactly
 * why not. Accepted forms (exactly one per message, plus an optional {@code id} echoed in the reply):
 * <ul>
 *   <li>{@code {"outcomes": [o_1, ..., o_G]}}: per modality a 1-based index (as SPM) or an outcome name;</li>
 *   <li>{@code {"probabilities": [[...], ...]}}: per modality a distribution (non-negative, finite, normalised here);</li>
 *   <li>{@code {"values": [v_1, ..., v_G]}}: raw values, mapped by the session's {@link ValueMapping}.</li>
 * </ul>
 * Thread-safe.
 */
public final class ObservationDecoder {
    /**
     * Duplicate keys and trailing content ({@code {...}garbage}, two objects) are refused; floats stay
     * exact decimals so that {@code 2.0000000000000001} is not silently read as the integer 2.
     */
    public static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final List<String> KNOWN = List.of("outcomes", "probabilities", "values", "id");
    /** The echoed id: a string of at most this many characters, or an integer. */
    static final int MAX_ID_LENGTH = 128;

    /** Why a message was refused (the one vocabulary of replies, logs and meters). */
    public static final RejectReason MALFORMED = RejectReason.MALFORMED;

    public static final RejectReason SHAPE = RejectReason.SHAPE;
    public static final RejectReason RANGE = RejectReason.RANGE;
    public static final RejectReason NOT_FINITE = RejectReason.NOT_FINITE;

    /** A rejected message: its reason and the explanation sent back. */
    public static final class Rejected extends Exception {
        private final RejectReason reason;

        public Rejected(RejectReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        public RejectReason reason() {
            return reason;
        }
    }

    private final GenerativeModel model;
    private final ValueMapping mapping;

    public ObservationDecoder(GenerativeModel model, ValueMapping mapping) {
        this.model = model;
        this.mapping = mapping;
    }

    public JsonNode parse(String text) throws Rejected {
        try {
            JsonNode node = STRICT.readTree(text);
            if (node == null || !node.isObject())
                throw new Rejected(MALFORMED, "message must be a JSON object (exactly one per message)");
            return node;
        } catch (JsonProcessingException e) {
            throw new Rejected(MALFORMED, "malformed JSON: " + jsonProblem(e));
        }
    }

    /** A parser's complaint for a client: its own words and where, never the exception's text or source excerpt. */
    public static String jsonProblem(JsonProcessingException e) {
        String what = e.getOriginalMessage();
        if (what == null) what = "unreadable";
        if (what.startsWith("Trailing token"))
            what = "content after the JSON value: send exactly one value per message";
        what = what.replaceAll("\\s+", " ")
                .replaceAll("\\[Source: [^\\]]*\\]; ", "")
                .replaceAll(": enable `[^`]*` to allow", "");
        if (what.length() > 200) what = what.substring(0, 200) + "...";
        return e.getLocation() == null
                ? what
                : what + " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
    }

    /**
     * The id to echo back: a string of at most {@link #MAX_ID_LENGTH} characters or an integer that
     * fits 64 bits; anything else (objects, lists, long strings) is refused, so a reply never grows
     * with what a client nests into it.
     */
    public static JsonNode id(JsonNode node) throws Rejected {
        JsonNode id = node.get("id");
        if (id == null) return null;
        if (id.isTextual() && id.asText().length() <= MAX_ID_LENGTH) return id;
        if (id.isIntegralNumber() && id.canConvertToLong()) return id;
        throw new Rejected(
                MALFORMED, "id: must be a string of at most " + MAX_ID_LENGTH + " characters or a 64-bit integer");
    }

    public Observation decode(JsonNode node) throws Rejected {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!KNOWN.contains(f)) {
                throw new Rejected(
                        MALFORMED,
                        "unknown field '" + (f.length() > 64 ? f.substring(0, 64) + "..." : f) + "'; allowed: "
                                + String.join(", ", KNOWN));
            }
        }
        int present =
                (node.has("outcomes") ? 1 : 0) + (node.has("probabilities") ? 1 : 0) + (node.has("values") ? 1 : 0);
        if (present != 1)
            throw new Rejected(MALFORMED, "message must have exactly one of outcomes, probabilities, values");
        int G = model.modalityCount();
        if (node.has("outcomes")) return outcomes(node.get("outcomes"), G);
        if (node.has("probabilities")) return probabilities(node.get("probabilities"), G);
        return values(node.get("values"), G);
    }

    private Observation outcomes(JsonNode list, int G) throws Rejected {
        checkCount(list, G, "outcomes");
        int[] idx = new int[G];
        for (int g = 0; g < G; g++) {
            JsonNode v = list.get(g);
            Modality m = model.modalities().get(g);
            int no = m.outcomeCount();
            if (v.isTextual()) {
                int found = -1;
                for (int o = 0; o < no; o++)
                    if (m.outcomes().get(o).equalsIgnoreCase(v.asText().trim())) found = o;
                if (found < 0)
                    throw new Rejected(
                            RANGE,
                            "outcomes[" + g + "]: '" + v.asText() + "' is not an outcome of modality '" + m.name()
                                    + "' " + m.outcomes());
                idx[g] = found;
            } else if (isWhole(v)) {
                // exact: a value beyond 64 bits must not wrap into range (18446744073709551618 is not 2)
                java.math.BigDecimal o = v.decimalValue();
                if (o.compareTo(java.math.BigDecimal.ONE) < 0 || o.compareTo(java.math.BigDecimal.valueOf(no)) > 0)
                    throw new Rejected(
                            RANGE,
                            "outcomes[" + g + "]: " + abbreviate(v) + " is out of range 1.." + no
                                    + " (1-based, as SPM) for modality '" + m.name() + "'");
                idx[g] = o.intValue() - 1;
            } else {
                throw new Rejected(
                        MALFORMED,
                        "outcomes[" + g + "]: must be a 1-based integer or an outcome name, was " + abbreviate(v));
            }
        }
        return Observation.hard(idx);
    }

    private Observation probabilities(JsonNode list, int G) throws Rejected {
        checkCount(list, G, "probabilities");
        int[] idx = new int[G];
        double[][] p = new double[G][];
        for (int g = 0; g < G; g++) {
            JsonNode row = list.get(g);
            int no = model.modalities().get(g).outcomeCount();
            if (!row.isArray() || row.size() != no)
                throw new Rejected(
                        SHAPE,
                        "probabilities[" + g + "]: must be a list of " + no + " numbers for modality '"
                                + model.modalities().get(g).name() + "'");
            double sum = 0;
            p[g] = new double[no];
            for (int o = 0; o < no; o++) {
                JsonNode v = row.get(o);
                if (!v.isNumber())
                    throw new Rejected(
                            MALFORMED, "probabilities[" + g + "][" + o + "]: must be a number, was " + abbreviate(v));
                double x = v.asDouble();
                if (!Double.isFinite(x) || x < 0)
                    throw new Rejected(
                            Double.isFinite(x) ? RANGE : NOT_FINITE,
                            "probabilities[" + g + "][" + o + "]: must be finite and >= 0, was " + abbreviate(v));
                p[g][o] = x;
                sum += x;
            }
            if (!(sum > 0) || !Double.isFinite(sum))
                throw new Rejected(RANGE, "probabilities[" + g + "]: must not sum to 0");
            for (int o = 0; o < no; o++) p[g][o] /= sum;
            idx[g] = -1;
        }
        return new Observation(idx, p);
    }

    private Observation values(JsonNode list, int G) throws Rejected {
        if (mapping == null)
            throw new Rejected(
                    MALFORMED,
                    "values need a mapping: declare mapping {type: gaussian, ...} when creating the session");
        checkCount(list, G, "values");
        int[] idx = new int[G];
        double[][] p = new double[G][];
        for (int g = 0; g < G; g++) {
            JsonNode v = list.get(g);
            if (!v.isNumber() || !Double.isFinite(v.asDouble()))
                throw new Rejected(
                        v.isNumber() ? NOT_FINITE : MALFORMED,
                        "values[" + g + "]: must be a finite number, was " + abbreviate(v));
            p[g] = mapping.likelihood(g, v.asDouble());
            if (p[g] == null)
                throw new Rejected(
                        RANGE, "values[" + g + "]: " + abbreviate(v) + " is too far from every outcome's mean to map");
            idx[g] = -1;
        }
        return new Observation(idx, p);
    }

    private static void checkCount(JsonNode list, int G, String field) throws Rejected {
        if (!list.isArray())
            throw new Rejected(MALFORMED, field + ": must be a list with one entry per modality (" + G + ")");
        if (list.size() != G)
            throw new Rejected(SHAPE, field + ": wrong modality count: expected " + G + ", got " + list.size());
    }

    /** An integer, or a decimal with no fractional part at all (2.0, not 2.0000000000000001). */
    private static boolean isWhole(JsonNode v) {
        if (v.isIntegralNumber()) return true;
        if (v.isBigDecimal()) {
            java.math.BigDecimal d = v.decimalValue();
            return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
        }
        return v.isNumber() && Double.isFinite(v.asDouble()) && v.asDouble() == Math.rint(v.asDouble());
    }

    /** A value for a reply, cut short: replies never grow with what the client sent. */
    static String abbreviate(JsonNode v) {
        String s = v.toString();
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
