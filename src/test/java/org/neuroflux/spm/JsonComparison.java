package org.neuroflux.spm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Compares two JSON trees of numbers leaf by leaf and describes the worst disagreement. */
final class JsonComparison {
    final List<String> mismatches = new ArrayList<>();
    double worst;
    int leaves;
    String worstAt = "";

    private final double absolute;
    private final double relative;

    JsonComparison(double absolute, double relative) {
        this.absolute = absolute;
        this.relative = relative;
    }

    JsonComparison compare(String path, JsonNode expected, JsonNode actual) {
        if (expected == null || actual == null) {
            if (expected != actual) mismatches.add(path + ": expected " + expected + ", got " + actual);
            return this;
        }
        if (expected.isNumber() && actual.isNumber()) {
            leaves++;
            double e = expected.asDouble();
            double a = actual.asDouble();
            double err = Math.abs(e - a);
            double allowed = Math.max(absolute, relative * Math.abs(e));
            if (err > worst) {
                worst = err;
                worstAt = path;
            }
            if (!(err <= allowed)) mismatches.add(path + ": expected " + e + ", got " + a + " (error " + err + ")");
        } else if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                mismatches.add(path + ": expected " + expected.size() + " entries, got " + actual.size());
                return this;
            }
            for (int i = 0; i < expected.size() && mismatches.size() < 20; i++) {
                compare(path + "[" + i + "]", expected.get(i), actual.get(i));
            }
        } else if (!(expected.isNull() && actual.isNull())) {
            mismatches.add(path + ": expected " + describe(expected) + ", got " + describe(actual));
        }
        return this;
    }

    private static String describe(JsonNode n) {
        String s = n.toString();
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
