package org.neuroflux.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterTopicsTest {
    @Test
    void namesComeFromThePrefix() {
        ClusterTopics t = ClusterTopics.withPrefix("lab.rigs");
        assertEquals(
                List.of("lab.rigs.sessions", "lab.rigs.observations", "lab.rigs.signals", "lab.rigs.state"), t.all());
    }

    @Test
    void definitionsAndStateAreCompactedTheRestExpires() {
        ClusterTopics t = ClusterTopics.withPrefix("neuroflux");
        assertEquals("compact", t.configsOf(t.sessions(), 1).get("cleanup.policy"));
        assertEquals("compact", t.configsOf(t.state(), 3).get("cleanup.policy"));
        assertEquals("delete", t.configsOf(t.signals(), 1).get("cleanup.policy"));
        assertEquals("delete", t.configsOf(t.observations(), 1).get("cleanup.policy"));
        assertEquals("1", t.configsOf(t.state(), 1).get("min.insync.replicas"));
        assertEquals("2", t.configsOf(t.state(), 3).get("min.insync.replicas"));
        assertThrows(IllegalArgumentException.class, () -> t.configsOf("other", 1));
    }

    @Test
    void partitionOfIsStableInRangeAndSpreadsSessions() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            int p = ClusterTopics.partitionOf("session-" + i, 12);
            assertTrue(p >= 0 && p < 12, "partition " + p);
            assertEquals(p, ClusterTopics.partitionOf("session-" + i, 12));
            seen.add(p);
        }
        assertEquals(12, seen.size(), "1000 ids reach every partition");
    }

    @Test
    void instanceIdDefaultsToHostAndPortInKafkaSafeCharacters() {
        assertEquals("rig-7", InstanceIds.resolve("rig-7", 8080));
        String derived = InstanceIds.resolve("", 8081);
        assertTrue(derived.endsWith("-8081") && derived.matches("[A-Za-z0-9._-]+"), derived);
        assertEquals("a_b_c.d", InstanceIds.sanitise("a b/c.d"));
    }
}
