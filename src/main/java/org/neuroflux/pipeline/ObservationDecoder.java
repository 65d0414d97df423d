package org.neuroflux.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
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
    public static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final List<String> KNOWN = List.of("outcomes", "probabilities", "values", "id");

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

        public RejectReason reason() { return reason; }
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
            if (node == null || !node.isObject()) throw new Rejected(MALFORMED, "message must be a JSON object");
            return node;
        } catch (JsonProcessingException e) {
            throw new Rejected(MALFORMED, "malformed JSON: " + e.getOriginalMessage());
        }
    }

    public Observation decode(JsonNode node) throws Rejected {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!KNOWN.contains(f)) throw new Rejected(MALFORMED, "unknown field '" + f + "'; expected one of outcomes, probabilities, values");
        }
        int present = (node.has("outcomes") ? 1 : 0) + (node.has("probabilities") ? 1 : 0) + (node.has("values") ? 1 : 0);
        if (present != 1) throw new Rejected(MALFORMED, "message must have exactly one of outcomes, probabilities, values");
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
                for (int o = 0; o < no; o++) if (m.outcomes().get(o).equalsIgnoreCase(v.asText().trim())) found = o;
                if (found < 0) throw new Rejected(RANGE, "outcomes[" + g + "]: '" + v.asText() + "' is not an outcome of modality '" + m.name() + "' " + m.outcomes());
                idx[g] = found;
            } else if (v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) && Double.isFinite(v.asDouble()))) {
                long o = v.asLong();
                if (o < 1 || o > no) throw new Rejected(RANGE, "outcomes[" + g + "]: " + v + " is out of range 1.." + no + " (1-based, as SPM) for modality '" + m.name() + "'");
                idx[g] = (int) o - 1;
            } else {
                throw new Rejected(MALFORMED, "outcomes[" + g + "]: must be a 1-based integer or an outcome name, was " + v);
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
                throw new Rejected(SHAPE, "probabilities[" + g + "]: must be a list of " + no + " numbers for modality '" + model.modalities().get(g).name() + "'");
            double sum = 0;
            p[g] = new double[no];
            for (int o = 0; o < no; o++) {
                JsonNode v = row.get(o);
                if (!v.isNumber()) throw new Rejected(MALFORMED, "probabilities[" + g + "][" + o + "]: must be a number, was " + v);
                double x = v.asDouble();
                if (!Double.isFinite(x) || x < 0)
                    throw new Rejected(Double.isFinite(x) ? RANGE : NOT_FINITE, "probabilities[" + g + "][" + o + "]: must be finite and >= 0, was " + v);
                p[g][o] = x;
                sum += x;
            }
            if (!(sum > 0) || !Double.isFinite(sum)) throw new Rejected(RANGE, "probabilities[" + g + "]: must not sum to 0");
            for (int o = 0; o < no; o++) p[g][o] /= sum;
            idx[g] = -1;
        }
        return new Observation(idx, p);
    }

    private Observation values(JsonNode list, int G) throws Rejected {
        if (mapping == null) throw new Rejected(MALFORMED, "values need a mapping: declare mapping {type: gaussian, ...} when creating the session");
        checkCount(list, G, "values");
        int[] idx = new int[G];
        double[][] p = new double[G][];
        for (int g = 0; g < G; g++) {
            JsonNode v = list.get(g);
            if (!v.isNumber() || !Double.isFinite(v.asDouble()))
                throw new Rejected(v.isNumber() ? NOT_FINITE : MALFORMED, "values[" + g + "]: must be a finite number, was " + v);
            p[g] = mapping.likelihood(g, v.asDouble());
            if (p[g] == null) throw new Rejected(RANGE, "values[" + g + "]: " + v + " is too far from every outcome's mean to map");
            idx[g] = -1;
        }
        return new Observation(idx, p);
    }

    private static void checkCount(JsonNode list, int G, String field) throws Rejected {
        if (!list.isArray()) throw new Rejected(MALFORMED, field + ": must be a list with one entry per modality (" + G + ")");
        if (list.size() != G)
            throw new Rejected(SHAPE, field + ": wrong modality count: expected " + G + ", got " + list.size());
    }

    static String lower(String s) { return s.toLowerCase(Locale.ROOT); }
}
