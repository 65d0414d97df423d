package org.neuroflux.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The value of a sessions-topic record: one JSON object, readable with any console consumer,
 * {@code {"format": 1, "id": ..., "seed": ..., "createdAtMillis": ..., "createdBy": ..., "request": {...}}}.
 * A null value (tombstone) deletes the session. Definitions are written once per session, so
 * readability beats compactness here.
 */
public final class SessionDefinitionCodec {
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SessionDefinitionCodec() {}

    public static byte[] encode(SessionDefinition d) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("id", d.id());
        root.put("seed", d.seed());
        root.put("createdAtMillis", d.createdAtMillis());
        root.put("createdBy", d.createdBy());
        try {
            JsonNode request = JSON.readTree(d.requestJson());
            if (request == null || !request.isObject())
                throw new IllegalArgumentException("session " + d.id() + ": the request must be a JSON object");
            root.set("request", request);
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "session " + d.id() + ": the request is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** @throws RecordFormatException naming the field that is missing or of the wrong type */
    public static SessionDefinition decode(byte[] value) {
        if (value == null)
            throw new RecordFormatException("sessions record: null value (a tombstone) holds no definition");
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (IOException e) {
            throw new RecordFormatException("sessions record: not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject())
            throw new RecordFormatException("sessions record: expected a JSON object");
        int format = integer(root, "format");
        if (format != FORMAT)
            throw new RecordFormatException(
                    "sessions record: format " + format + " is not supported (this instance reads " + FORMAT + ")");
        JsonNode request = root.get("request");
        if (request == null || !request.isObject())
            throw new RecordFormatException("sessions record: field 'request' must be a JSON object, was " + request);
        return new SessionDefinition(
                text(root, "id"),
                request.toString(),
                longValue(root, "seed"),
                longValue(root, "createdAtMillis"),
                text(root, "createdBy"));
    }

    private static int integer(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.canConvertToInt() || !n.isIntegralNumber())
            throw new RecordFormatException("sessions record: field '" + field + "' must be an integer, was " + n);
        return n.intValue();
    }

    private static long longValue(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong())
            throw new RecordFormatException("sessions record: field '" + field + "' must be an integer, was " + n);
        return n.longValue();
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual() || n.asText().isEmpty())
            throw new RecordFormatException(
                    "sessions record: field '" + field + "' must be a non-empty string, was " + n);
        return n.asText();
    }
}
