package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The hostile inputs of issue 11 against a real server on 127.0.0.1: each is answered clearly, none is misread. */
class HostileInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_TMAZE =
            "{\"model\":\"tmaze\",\"source\":{\"type\":\"client\"},\"pacing\":{\"iterationMs\":\"max\"}}";

    private LoopbackServer server;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    private String observations(String id) {
        return "/ws/sessions/" + id + "/observations";
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.http + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return WsClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ingestMessagesAreDecodedExactlyOrRefused() throws Exception {
        server = LoopbackServer.start();
        String id = server.createSession(CLIENT_TMAZE);
        WsClient ws = WsClient.connect(server.ws + observations(id));
        List<String> corpus =
                Files.readAllLines(Path.of("src/test/resources/malformed/ingest.txt"), StandardCharsets.UTF_8);
        int sent = 0;
        for (String line : corpus) {
            if (line.isBlank() || line.startsWith("#")) continue;
            ws.send(line);
            JsonNode reply = json(ws.nextText());
            assertEquals("error", reply.get("type").asText(), line + " -> " + reply);
            assertTrue(reply.get("reason").asText().length() < 400, reply.toString());
            assertFalse(reply.has("id") && !reply.get("id").isValueNode(), reply.toString());
            sent++;
        }
        assertTrue(sent >= 10, "corpus lines: " + sent);
        JsonNode wrapped = json(replyTo(ws, "{\"outcomes\":[18446744073709551618,1]}"));
        assertTrue(
                wrapped.get("reason").asText().startsWith("outcomes[0]: 18446744073709551618 is out of range 1..5"),
                wrapped.toString());
        assertTrue(json(replyTo(ws, "{\"outcomes\":[3,1]}garbage"))
                .get("reason")
                .asText()
                .startsWith("malformed JSON: "));
        assertTrue(json(replyTo(ws, "{\"outcomes\":[3,1]}{\"outcomes\":[1,1]}"))
                .get("reason")
                .asText()
                .contains("content after the JSON value"));
        assertTrue(json(replyTo(ws, "{\"outcomes\":[2.0000000000000001,1]}"))
                .get("reason")
                .asText()
                .startsWith("outcomes[0]: must be a 1-based integer"));
        JsonNode nested = json(replyTo(ws, "{\"id\":{\"a\":[[[[1]]]]},\"outcomes\":[1,1]}"));
        assertEquals("error", nested.get("type").asText());
        assertFalse(nested.has("id"), nested.toString());
        JsonNode ok = json(replyTo(ws, "{\"id\":\"a-7\",\"outcomes\":[2.0,1]}"));
        assertEquals("ack", ok.get("type").asText(), ok.toString());
        assertEquals("a-7", ok.get("id").asText());
        ws.close();
    }

    private static String replyTo(WsClient ws, String message) throws Exception {
        ws.send(message);
        return ws.nextText();
    }

    @Test
    void invalidUtf8ClosesWith1007AndRsvBitsWith1002() throws Exception {
        server = LoopbackServer.start();
        String id = server.createSession(CLIENT_TMAZE);
        int port = server.server.port();
        try (RawWebSocket raw = RawWebSocket.open(port, observations(id))) {
            assertEquals("HTTP/1.1 101 Switching Protocols", raw.status);
            raw.send(true, 0, 1, new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', '}'});
            RawWebSocket.Frame close = raw.readUntilClose();
            assertEquals(1007, close == null ? -1 : close.closeCode());
        }
        try (RawWebSocket raw = RawWebSocket.open(port, observations(id))) {
            raw.send(true, 4, 1, "{\"outcomes\":[1,1]}".getBytes(StandardCharsets.UTF_8));
            RawWebSocket.Frame close = raw.readUntilClose();
            assertEquals(1002, close == null ? -1 : close.closeCode());
        }
        // the session still takes well-formed observations
        WsClient ws = WsClient.connect(server.ws + observations(id));
        assertEquals(
                "ack", json(replyTo(ws, "{\"outcomes\":[1,1]}")).get("type").asText());
        ws.close();
    }

    @Test
    void requestBodiesHoldExactlyOneValueAndNoUnknownFieldsAtAnyLevel() throws Exception {
        server = LoopbackServer.start();
        HttpResponse<String> r = server.postSession("{\"model\":\"tmaze\"} garbage");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(json(r.body()).get("error").asText().startsWith("malformed JSON: "), r.body());
        r = server.postSession("{\"model\":\"tmaze\"} {\"model\":\"oddball\"}");
        assertEquals(
                "malformed JSON: content after the JSON value: send exactly one value per message (line 1, column 19)",
                json(r.body()).get("error").asText(),
                r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("Source:"), r.body());
        r = server.postSession("{\"model\":\"tmaze\",\"source\":{\"type\":\"generative\",\"speed\":2}}");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(
                "source.speed: unknown field (known: type, loop, observations, recording)",
                json(r.body()).get("error").asText());
        r = server.postSession("{\"model\":\"tmaze\",\"solver\":{\"preset\":\"spm\",\"Ni\":8}}");
        assertEquals(
                "solver.Ni: unknown field (known: preset, iterations)",
                json(r.body()).get("error").asText());
        r = server.postSession("{\"model\":\"tmaze\",\"seed\":18446744073709551618}");
        assertEquals(400, r.statusCode(), r.body());
    }

    @Test
    void anOversizedInlineModelIs413NamingTheFieldAndTheOthersKeepStreaming() throws Exception {
        server = LoopbackServer.start();
        String model = Files.readString(Path.of("src/test/resources/malformed/models/spm-huge-T.json"));
        HttpResponse<String> r = server.postSession("{\"model\":" + model + "}");
        assertEquals(413, r.statusCode(), r.body());
        assertEquals(
                "model.T: is 1000000 epochs per trial (T); the limit is 1000 (limits.modelMaxEpochs)",
                json(r.body()).get("error").asText());
        // within the epoch limit but beyond T x Ni
        r = server.postSession("{\"model\":" + model.replace("1000000", "900") + ",\"solver\":{\"iterations\":4096}}");
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(
                json(r.body())
                        .get("error")
                        .asText()
                        .startsWith("solver.iterations: T x iterations per epoch = 900 x 4096"),
                r.body());
        server.createSession("{\"model\":\"tmaze\"}");
        // an invalid inline model: every problem, in the reader's words, never an exception's text
        r = server.postSession("{\"model\":"
                + Files.readString(Path.of("src/test/resources/malformed/models/spm-negative-A-and-bad-o.json")) + "}");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(
                List.of(
                        "model.A{1}: entry 3 (linear index) is -0.1; probabilities must be >= 0",
                        "model.o(1,4): is 7; expected 0 (sample) or an outcome of modality 1 in 1..2"),
                JSON.convertValue(json(r.body()).get("problems"), List.class));
    }

    @Test
    void malformedQueryStringsAre400WithoutAStackTraceOrTheTokenInAnyLog() throws Exception {
        server = LoopbackServer.start(Map.of("NEUROFLUX_TOKEN", "s3cret-token"));
        String id = server.createSessionWith("{\"model\":\"tmaze\"}", "Authorization", "Bearer s3cret-token");
        for (String query : List.of("?%zz=1", "?channels=%zz", "?channels=rate&%")) {
            try (RawWebSocket raw =
                    RawWebSocket.open(server.server.port(), "/ws/sessions/" + id + "/signals" + query)) {
                assertEquals("HTTP/1.1 400 Bad Request", raw.status, query);
            }
        }
        String body = "{\"model\":\"tmaze\"}";
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write(
                            ("POST /api/sessions?access_token=s3cret-token&x=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                            + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                                            + body)
                                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 400 Bad Request"), response);
            assertTrue(response.contains("\"error\":\"query string: malformed percent-encoding"), response);
        }
        try (RawWebSocket raw =
                RawWebSocket.open(server.server.port(), observations(id) + "?access_token=s3cret-token&x=%zz")) {
            assertEquals("HTTP/1.1 400 Bad Request", raw.status);
        }
        for (ILoggingEvent e : logs.list) {
            assertFalse(e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR), e.getFormattedMessage());
            assertFalse(text(e).contains("s3cret-token"), text(e));
        }
    }

    @Test
    void aReplayAcceptsARecordingCutShortWithAWarningNamingTheLine(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("cut.jsonl"), "{\"outcomes\":[1,1]}\n{\"outcomes\":[2,1]}\n{\"outco");
        Files.writeString(dir.resolve("bad.jsonl"), "{\"outcomes\":[1,1]}\n{\"outco\n{\"outcomes\":[2,1]}\n");
        server = LoopbackServer.start(Map.of("NEUROFLUX_SERVER_RECORDINGS_DIR", dir.toString()));
        server.createSession("{\"model\":\"tmaze\",\"source\":{\"type\":\"replay\",\"recording\":\"cut.jsonl\"}}");
        assertTrue(
                logs.list.stream()
                        .anyMatch(
                                e -> e.getFormattedMessage()
                                        .equals(
                                                "recording 'cut.jsonl': line 3 is incomplete (cut short, as when the recorder is killed while writing it) and is skipped")),
                logs.list.toString());
        // a broken line in the middle is still an error: only a cut-off last line is forgiven
        HttpResponse<String> r = server.postSession(
                "{\"model\":\"tmaze\",\"source\":{\"type\":\"replay\",\"recording\":\"bad.jsonl\"}}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(
                json(r.body()).get("error").asText().startsWith("source.recording: line 2: malformed JSON"), r.body());
    }

    private static String text(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder(e.getFormattedMessage());
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause())
            sb.append('\n').append(t.getMessage());
        return sb.toString();
    }
}
