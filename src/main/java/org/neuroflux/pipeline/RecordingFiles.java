package org.neuroflux.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads observation files for a replay source. Each non-blank line is JSON: either an ingest
 * message ({@code {"outcomes": [...]}}, probabilities or values), or a frame line written by
 * {@code neuroflux record} (JSONL), from which the outcome of each epoch is taken (the first frame
 * of each epoch of the first scheme, with its {@code outcome/...} channels).
 */
final class RecordingFiles {
    private RecordingFiles() {}

    /**
     * The observations of a file's content. A last line without its newline that does not parse was
     * cut short (the recorder was killed while writing it): it is skipped, with a warning naming it,
     * and everything before it is used.
     */
    static List<Observation> observations(String content, ObservationDecoder decoder, Consumer<String> warnings) {
        List<String> lines = new ArrayList<>(List.of(content.split("\n", -1)));
        boolean cut = !content.isEmpty() && !content.endsWith("\n");
        if (!cut && !lines.isEmpty()) lines.remove(lines.size() - 1); // the empty string after the final newline
        if (cut) {
            String last = lines.get(lines.size() - 1);
            try {
                decoder.parse(last.trim());
            } catch (ObservationDecoder.Rejected r) {
                warnings.accept("line " + lines.size()
                        + " is incomplete (cut short, as when the recorder is killed while writing it) and is skipped");
                lines.remove(lines.size() - 1);
            }
        }
        return observations(lines, decoder);
    }

    static List<Observation> observations(List<String> lines, ObservationDecoder decoder) {
        List<Observation> out = new ArrayList<>();
        String lastEpoch = null;
        String firstScheme = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) continue;
            try {
                JsonNode node = decoder.parse(line);
                if (node.has("type")) {
                    if (!"frame".equals(node.get("type").asText())) continue;
                    String scheme = node.path("scheme").asText();
                    if (firstScheme == null) firstScheme = scheme;
                    if (!scheme.equals(firstScheme)) continue;
                    String epoch = node.path("trial").asText() + "/"
                            + node.path("epoch").asText();
                    if (epoch.equals(lastEpoch)) continue;
                    lastEpoch = epoch;
                    JsonNode outcomes = node.path("outcomes");
                    if (!outcomes.isArray())
                        throw new IllegalArgumentException(
                                "line " + (i + 1) + ": frame has no outcomes (record with the outcome channel)");
                    out.add(decoder.decode(
                            ObservationDecoder.STRICT.createObjectNode().set("outcomes", outcomes)));
                } else {
                    out.add(decoder.decode(node));
                }
            } catch (ObservationDecoder.Rejected r) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + r.getMessage());
            }
        }
        return out;
    }
}
