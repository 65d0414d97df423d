package org.neuroflux.transport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text-format scrape, parsed into samples and TYPE lines (enough for the tests). */
final class ScrapeText {
    record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    final List<Sample> samples = new ArrayList<>();
    final Map<String, String> types = new LinkedHashMap<>();

    ScrapeText(String body) {
        for (String line : body.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                types.put(p[2], p[3]);
            }
            if (line.isBlank() || line.startsWith("#")) continue;
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = brace >= 0 ? line.substring(0, brace) : line.substring(0, line.indexOf(' '));
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0) {
                Matcher m = LABEL.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
                while (m.find()) labels.put(m.group(1), m.group(2));
            }
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
    }

    List<Sample> named(String name) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) if (s.name().equals(name)) out.add(s);
        return out;
    }

    boolean has(String name) {
        return !named(name).isEmpty();
    }

    /** Sum of a series' values over the samples whose labels include the given pairs. */
    double sum(String name, String... labelPairs) {
        double total = 0;
        outer:
        for (Sample s : named(name)) {
            for (int i = 0; i < labelPairs.length; i += 2)
                if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) continue outer;
            total += s.value();
        }
        return total;
    }
}
