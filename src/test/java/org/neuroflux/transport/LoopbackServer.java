package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.neuroflux.config.ConfigLoader;
import reactor.core.scheduler.Schedulers;

/** A real server on 127.0.0.1 and a free port, without the demo session, for socket tests. */
final class LoopbackServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final NeurofluxServer server;
    final String http;
    final String ws;

    private LoopbackServer(NeurofluxServer server) {
        this.server = server;
        http = "http://127.0.0.1:" + server.port();
        ws = "ws://127.0.0.1:" + server.port();
    }

    static LoopbackServer start() {
        return start(Map.of());
    }

    /** With extra settings, as environment variables (NEUROFLUX_SECURITY_TOKEN, ...). */
    static LoopbackServer start(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(settings);
        env.putIfAbsent("NEUROFLUX_HOST", "127.0.0.1");
        env.putIfAbsent("NEUROFLUX_PORT", "0");
        env.putIfAbsent("NEUROFLUX_DEMO_ENABLED", "false");
        return new LoopbackServer(NeurofluxServer.start(ConfigLoader.load(null, env), Schedulers.parallel()));
    }

    HttpResponse<String> get(String path) throws Exception {
        return WsClient.HTTP.send(
                HttpRequest.newBuilder(URI.create(http + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postSession(String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http + "/api/sessions"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return WsClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** As {@link #createSession}, with request headers (name, value, ...). */
    String createSessionWith(String body, String... headers) throws Exception {
        HttpResponse<String> r = postSession(body, headers);
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    /** Creates a session and returns its id, failing the test on anything but 201. */
    String createSession(String body) throws Exception {
        HttpResponse<String> r = postSession(body);
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    @Override
    public void close() {
        server.stop();
    }
}
