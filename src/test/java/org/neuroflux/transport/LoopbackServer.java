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
        Map<String, String> env = new HashMap<>();
        env.put("NEUROFLUX_HOST", "127.0.0.1");
        env.put("NEUROFLUX_PORT", "0");
        env.put("NEUROFLUX_DEMO_ENABLED", "false");
        return new LoopbackServer(NeurofluxServer.start(ConfigLoader.load(null, env), Schedulers.parallel()));
    }

    HttpResponse<String> get(String path) throws Exception {
        return WsClient.HTTP.send(HttpRequest.newBuilder(URI.create(http + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postSession(String body) throws Exception {
        return WsClient.HTTP.send(HttpRequest.newBuilder(URI.create(http + "/api/sessions")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Creates a session and returns its id, failing the test on anything but 201. */
    String createSession(String body) throws Exception {
        HttpResponse<String> r = postSession(body);
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    @Override
    public void close() { server.stop(); }
}
