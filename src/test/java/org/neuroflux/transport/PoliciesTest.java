package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's policies (issue 11, part 6) against a real server on 127.0.0.1. */
class PoliciesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_TMAZE =
            "{\"model\":\"tmaze\",\"source\":{\"type\":\"client\"},\"pacing\":{\"iterationMs\":\"max\"}}";
    private LoopbackServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private int get(String path, String... headers) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(server.http + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return WsClient.HTTP
                .send(b.build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void readsAreOpenByDefaultAndNeedTheTokenWithProtectReads() throws Exception {
        server = LoopbackServer.start(Map.of("NEUROFLUX_TOKEN", "tok"));
        String id = server.createSessionWith("{\"model\":\"tmaze\"}", "Authorization", "Bearer tok");
        assertEquals(200, get("/api/sessions"));
        assertEquals(200, get("/metrics"));
        assertEquals(101, WsClient.refusal(server.ws + "/ws/sessions/" + id + "/signals"));
        server.close();
        server = LoopbackServer.start(Map.of("NEUROFLUX_TOKEN", "tok", "NEUROFLUX_SECURITY_PROTECT_READS", "true"));
        id = server.createSessionWith("{\"model\":\"tmaze\"}", "Authorization", "Bearer tok");
        assertEquals(401, get("/api/sessions"));
        assertEquals(401, get("/api/sessions/" + id));
        assertEquals(401, get("/metrics"));
        assertEquals(403, get("/metrics", "Authorization", "Bearer wrong"));
        assertEquals(401, WsClient.refusal(server.ws + "/ws/sessions/" + id + "/signals"));
        assertEquals(200, get("/api/sessions", "Authorization", "Bearer tok"));
        assertEquals(200, get("/metrics", "Authorization", "Bearer tok"));
        assertEquals(101, WsClient.refusal(server.ws + "/ws/sessions/" + id + "/signals?access_token=tok"));
        assertEquals(200, get("/health")); // liveness stays open for orchestrators
    }

    @Test
    void aSameHostOriginIsTrustedOnlyForAddressesNotForNames() throws Exception {
        server = LoopbackServer.start(Map.of("NEUROFLUX_ALLOWED_ORIGINS", "http://good.example"));
        String id = server.createSession("{\"model\":\"tmaze\"}");
        int port = server.server.port();
        assertEquals(
                "HTTP/1.1 101 Switching Protocols",
                upgradeStatus(port, id, "127.0.0.1:" + port, "http://127.0.0.1:" + port));
        assertEquals(
                "HTTP/1.1 101 Switching Protocols",
                upgradeStatus(port, id, "localhost:" + port, "http://localhost:" + port));
        // DNS rebinding: the attacker's name resolves to us, and Host and Origin both carry it
        assertEquals(
                "HTTP/1.1 403 Forbidden",
                upgradeStatus(port, id, "rebind.evil.example:" + port, "http://rebind.evil.example:" + port));
        assertEquals(
                "HTTP/1.1 101 Switching Protocols",
                upgradeStatus(port, id, "rebind.evil.example:" + port, "http://good.example"));
    }

    private static String upgradeStatus(int port, String id, String host, String origin) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write(("GET /ws/sessions/" + id + "/signals HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin
                                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            StringBuilder line = new StringBuilder();
            for (int c = s.getInputStream().read();
                    c >= 0 && c != '\r';
                    c = s.getInputStream().read()) line.append((char) c);
            return line.toString();
        }
    }

    @Test
    void observationSocketsAreCappedPerSessionAndShareOneRate() throws Exception {
        server = LoopbackServer.start(Map.of(
                "NEUROFLUX_LIMITS_MAX_INGEST_SOCKETS_PER_SESSION",
                "2",
                "NEUROFLUX_LIMITS_INGEST_MESSAGES_PER_SECOND",
                "0.2",
                "NEUROFLUX_LIMITS_INGEST_QUEUE",
                "64"));
        String id = server.createSession(CLIENT_TMAZE);
        String url = server.ws + "/ws/sessions/" + id + "/observations";
        WsClient a = WsClient.connect(url);
        WsClient b = WsClient.connect(url);
        assertEquals(429, WsClient.refusal(url));
        int rateLimited = 0;
        for (int i = 0; i < 2; i++) {
            for (WsClient c : List.of(a, b)) {
                c.send("{\"outcomes\":[1,1]}");
                if (c.nextText().contains("rate limit exceeded")) rateLimited++;
            }
        }
        // one bucket for the session (one message of burst, then one per 5 s): 3 of 4 refused; a bucket per socket
        // would refuse 2
        assertTrue(rateLimited >= 3, "rate-limited: " + rateLimited);
        b.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int status = 429;
        while (status == 429 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            status = WsClient.refusal(url);
        }
        assertEquals(101, status, "a closed socket frees its place");
        a.close();
    }

    @Test
    void anUnsolicitedPongIsNotARejectedObservationAndShutdownClosesObservationsWith1001() throws Exception {
        server = LoopbackServer.start();
        String id = server.createSession(CLIENT_TMAZE);
        WsClient ws = WsClient.connect(server.ws + "/ws/sessions/" + id + "/observations");
        ws.socket.sendPong(ByteBuffer.wrap(new byte[] {1, 2, 3})).get(5, TimeUnit.SECONDS);
        ws.send("{\"outcomes\":[1,1]}");
        JsonNode ack = JSON.readTree(ws.nextText());
        assertEquals("ack", ack.get("type").asText(), ack.toString());
        JsonNode counters =
                JSON.readTree(server.get("/api/sessions/" + id).body()).get("counters");
        assertEquals(0, counters.get("ingestRejected").asLong(), counters.toString());
        server.server.stop();
        assertEquals(1001, ws.closed.get(20, TimeUnit.SECONDS));
    }
}
