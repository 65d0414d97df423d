package org.neuroflux.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadmeMetricsTableTest {
    @Test
    void theReadmeListsEveryCatalogueMeterAsTheCatalogueDescribesIt() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Metrics and dashboards"));
        for (NeurofluxMeters m : NeurofluxMeters.values())
            assertTrue(
                    section.contains("| `" + m.meterName() + "` | `" + m.prometheusName()),
                    m + " is in the README's metrics table");
        assertTrue(
                section.contains(NeurofluxMeters.markdownTable()),
                "README.md's metrics table differs from the catalogue; replace it with:\n"
                        + NeurofluxMeters.markdownTable());
    }
}
