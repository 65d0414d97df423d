package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UriTemplatesTest {
    @Test
    void sessionIdsBecomeTemplatesAndUnknownPathsOneBucket() {
        assertEquals("/health", UriTemplates.collapse("/health"));
        assertEquals("/metrics", UriTemplates.collapse("/metrics?x=1"));
        assertEquals("/", UriTemplates.collapse("/"));
        assertEquals("/api/sessions", UriTemplates.collapse("/api/sessions/"));
        assertEquals("/api/sessions/{id}", UriTemplates.collapse("/api/sessions/3f9a00aa11bb22cc"));
        assertEquals(
                "/ws/sessions/{id}/signals",
                UriTemplates.collapse("/ws/sessions/3f9a00aa11bb22cc/signals?channels=rate"));
        assertEquals("/ws/sessions/{id}/observations", UriTemplates.collapse("/ws/sessions/abc/observations"));
        assertEquals("/other", UriTemplates.collapse("/ws/sessions/abc/elsewhere"));
        assertEquals("/other", UriTemplates.collapse("/wp-admin/login.php"));
        assertEquals("/other", UriTemplates.collapse(""));
    }
}
