package org.neuroflux.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.neuroflux.config.ConfigLoader;
import reactor.core.scheduler.Schedulers;

/**
 * A real server on 127.0.0.1 (port 0) with traffic for every meter: the demo session (both
 * schemes) with a subscriber, a client-source session fed observations over the ingest socket (one
 * every 250 ms, with a bad message now and then) by a background thread, and a fast session whose
 * deliberately slow subscriber loses frames until it goes away. Bounded: the feeder stops by itself
 * after {@link #MAX_FEED}.
 */
final class MetricsTraffic implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_FEED = Duration.ofSeconds(150);

    final NeurofluxServer server;
    final String http;
    final String ws;
    final String clientSession;
    private final WsClient demoSubscriber;
    private final WsClient clientSubscriber;
    private final WsClient ingest;
    private final Thread feeder;
    private volatile boolean stopping;

    MetricsTraffic() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("NEUROFLUX_HOST", "127.0.0.1");
        env.put("NEUROFLUX_PORT", "0");
        env.put("NEUROFLUX_SERVER_SHUTDOWN_GRACE_MS", "1000");
        server = NeurofluxServer.start(ConfigLoader.load(null, env), Schedulers.parallel());
        http = "http://127.0.0.1:" + server.port();
        ws = "ws://127.0.0.1:" + server.port();
        demoSubscriber =
                WsClient.connect(ws + "/ws/sessions/" + server.demoSessionId() + "/signals?channels=precision");
        clientSession = create("{\"source\":{\"type\":\"client\"}}");
        clientSubscriber = WsClient.connect(ws + "/ws/sessions/" + clientSession + "/signals?channels=precision");
        ingest = WsClient.connect(ws + "/ws/sessions/" + clientSession + "/observations");
        causeDrops();
        feeder = new Thread(this::feed, "metrics-traffic-feeder");
        feeder.setDaemon(true);
        feeder.start();
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http + path))
                .timeout(Duration.ofSeconds(10))
                .GET();
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return WsClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String scrape() throws Exception {
        return get("/metrics").body();
    }

    private String create(String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(http + "/api/sessions"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> r = WsClient.HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new IllegalStateException("session not created: " + r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    /** A fast session and a subscriber that never reads: buffer-full drops, then closed ones when it leaves. */
    private void causeDrops() throws Exception {
        String fast = create("{\"pacing\":{\"iterationMs\":0.5}}");
        WsClient slow = WsClient.connect(ws + "/ws/sessions/" + fast + "/signals?channels=all&buffer=4", true);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode counters =
                    JSON.readTree(get("/api/sessions/" + fast).body()).get("counters");
            if (counters.get("framesDropped").asLong() > 0) break;
            Thread.sleep(100);
        }
        slow.close();
        HttpRequest delete = HttpRequest.newBuilder(URI.create(http + "/api/sessions/" + fast))
                .timeout(Duration.ofSeconds(10))
                .DELETE()
                .build();
        WsClient.HTTP.send(delete, HttpResponse.BodyHandlers.discarding());
    }

    private void feed() {
        long end = System.nanoTime() + MAX_FEED.toNanos();
        String[] good = {"{\"outcomes\": [1, 1]}", "{\"outcomes\": [\"cue-left\", \"none\"]}", "{\"outcomes\": [2, 2]}"
        };
        String[] bad = {
            "{\"outcomes\": [1]}",
            "{\"outcomes\": [1, 9]}",
            "not json",
            "{\"probabilities\": [[1, 0, 0, 0], [0, 0, 0]]}"
        };
        int n = 0;
        try {
            while (!stopping && System.nanoTime() < end) {
                ingest.send(n % 8 == 7 ? bad[(n / 8) % bad.length] : good[n % good.length]);
                ingest.nextText();
                n++;
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stopping) throw e;
        }
    }

    @Override
    public void close() {
        stopping = true;
        feeder.interrupt();
        try {
            feeder.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ingest.close();
        clientSubscriber.close();
        demoSubscriber.close();
        server.stop();
    }
}
