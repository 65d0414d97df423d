package org.neuroflux.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.neuroflux.cli.UserErrors.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code neuroflux loadtest}: a benchmark, not a test. Creates sessions on a running server,
 * subscribes to each, and reports frames/s, end-to-end latency (frame wallUs to arrival; client
 * and server share this machine's clock) p50/p99/p999 with HdrHistogram, drops, and server heap.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load a running server with sessions and subscribers and report throughput and latency.")
public final class LoadtestCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL", description = "Server (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--sessions", defaultValue = "10", paramLabel = "N", description = "Sessions to create (default: ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--subscribers", defaultValue = "1", paramLabel = "M", description = "Subscribers per session (default: ${DEFAULT-VALUE}).")
    int subscribers;

    @Option(names = "--duration", defaultValue = "30", paramLabel = "SECONDS", description = "Measured duration (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--warmup", defaultValue = "5", paramLabel = "SECONDS", description = "Unmeasured warm-up (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--format", defaultValue = "json", paramLabel = "FORMAT", description = "json or binary (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--pacing", defaultValue = "15.625", paramLabel = "MS|max", description = "iterationMs of the sessions, or max (default: ${DEFAULT-VALUE}).")
    String pacing;

    @Option(names = "--schemes", defaultValue = "active-inference,natural-gradient", paramLabel = "LIST", description = "Schemes per session (default: ${DEFAULT-VALUE}).")
    String schemes;

    @Option(names = "--channels", defaultValue = "rate,policy,precision,dopamine", paramLabel = "LIST", description = "Channels (default: ${DEFAULT-VALUE}).")
    String channels;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token (default: $NEUROFLUX_TOKEN).")
    String token;

    @Option(names = "--hostile", description = "Soak mode: meanwhile send malformed ingest messages, bad requests, oversized models and "
            + "abrupt disconnects, check each gets its clear answer, and sample the server heap every minute (BENCHMARKS.md, Reliability).")
    boolean hostile;

    @Override
    public Integer call() throws Exception {
        boolean binary = format.equalsIgnoreCase("binary");
        if (!binary && !format.equalsIgnoreCase("json")) throw new UserException("--format must be json or binary");
        String bearer = token != null ? token : System.getenv("NEUROFLUX_TOKEN");
        String pacingJson = pacing.equals("max") ? "\"max\"" : String.valueOf(Double.parseDouble(pacing));
        StringBuilder schemeJson = new StringBuilder();
        for (String s : schemes.split(",")) schemeJson.append(schemeJson.length() == 0 ? "" : ",").append('"').append(s.trim()).append('"');
        String body = "{\"model\":\"tmaze\",\"schemes\":[" + schemeJson + "],\"pacing\":{\"iterationMs\":" + pacingJson + "}}";
        List<String> ids = new ArrayList<>();
        List<StreamClient> clients = new ArrayList<>();
        Recorder latency = new Recorder(3_600_000_000L, 3);
        LongAdder received = new LongAdder();
        int total = sessions * subscribers;
        AtomicLongArray dropped = new AtomicLongArray(total);
        long[] measuring = {0};
        String ws = url.replaceFirst("^http", "ws");
        try {
            for (int i = 0; i < sessions; i++) {
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + "/api/sessions")).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
                if (bearer != null) req.header("Authorization", "Bearer " + bearer);
                HttpResponse<String> r = StreamClient.HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 201) throw new UserException("creating session " + (i + 1) + ": HTTP " + r.statusCode() + " " + r.body());
                ids.add(JSON.readTree(r.body()).get("id").asText());
            }
            List<CompletableFuture<?>> connecting = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                int slot = i;
                String id = ids.get(i / subscribers);
                StreamClient c = new StreamClient(text -> {
                    if (!text.startsWith("{\"type\":\"frame\"")) return;
                    long wall = number(text, "\"wallUs\":");
                    dropped.set(slot, number(text, "\"dropped\":"));
                    record(latency, received, wall, measuring[0]);
                }, buf -> {
                    ByteBuffer b = buf.order(ByteOrder.LITTLE_ENDIAN);
                    dropped.set(slot, b.getLong(48));
                    record(latency, received, b.getLong(40), measuring[0]);
                });
                clients.add(c);
                String q = "?format=" + (binary ? "binary" : "json") + "&channels=" + channels;
                connecting.add(c.connect(ws + "/ws/sessions/" + id + "/signals" + q, null));
                if (connecting.size() % 200 == 0) CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
            CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            HostileTraffic attack = null;
            Thread attacker = null;
            if (hostile) {
                String clientBody = "{\"model\":\"tmaze\",\"source\":{\"type\":\"client\"},\"pacing\":{\"iterationMs\":\"max\"}}";
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + "/api/sessions")).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(clientBody));
                if (bearer != null) req.header("Authorization", "Bearer " + bearer);
                HttpResponse<String> r = StreamClient.HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 201) throw new UserException("creating the client session: HTTP " + r.statusCode() + " " + r.body());
                ids.add(JSON.readTree(r.body()).get("id").asText());
                attack = new HostileTraffic(url, ids.get(ids.size() - 1), ids.get(0), bearer);
                attacker = new Thread(attack, "loadtest-hostile");
                attacker.setDaemon(true);
                attacker.start();
            }
            System.err.printf(Locale.ROOT, "loadtest: %d sessions x %d subscribers connected; warming up %.0f s%n", sessions, subscribers, warmup);
            Thread.sleep(Math.round(warmup * 1000));
            long droppedBefore = sum(dropped);
            latency.getIntervalHistogram();
            long receivedBefore = received.sum();
            measuring[0] = 1;
            long t0 = System.nanoTime();
            List<String> heap = new ArrayList<>();
            long end = t0 + Math.round(duration * 1e9);
            for (long next = t0; System.nanoTime() < end; ) {
                if (hostile && System.nanoTime() >= next) { // heap used now, and committed, once a minute
                    JsonNode h = JSON.readTree(StreamClient.HTTP.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString()).body()).path("heap");
                    heap.add((h.path("usedBytes").asLong() >> 20) + "/" + (h.path("committedBytes").asLong() >> 20));
                    next += 60_000_000_000L;
                }
                Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (attack != null) {
                attack.stop();
                attacker.join(30_000);
            }
            Histogram h = latency.getIntervalHistogram();
            long frames = received.sum() - receivedBefore;
            long drops = sum(dropped) - droppedBefore;
            JsonNode health = JSON.readTree(StreamClient.HTTP.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            System.out.printf(Locale.ROOT, "sessions=%d subscribers/session=%d format=%s pacing=%s schemes=%s duration=%.1fs%n",
                    sessions, subscribers, binary ? "binary" : "json", pacing, schemes, seconds);
            System.out.printf(Locale.ROOT, "frames/s=%.0f  frames=%d  drops(subscribers)=%d  serverFramesDropped=%d%n",
                    frames / seconds, frames, drops, health.path("framesDropped").asLong());
            System.out.printf(Locale.ROOT, "latency ms: p50=%.3f p99=%.3f p999=%.3f max=%.3f (n=%d)%n",
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0,
                    h.getMaxValue() / 1000.0, h.getTotalCount());
            JsonNode lag = health.path("lagMicros");
            System.out.printf(Locale.ROOT, "server pacing lag ms (since start): p50=%.3f p99=%.3f p999=%.3f max=%.3f%n",
                    lag.path("p50").asLong() / 1000.0, lag.path("p99").asLong() / 1000.0, lag.path("p999").asLong() / 1000.0, lag.path("max").asLong() / 1000.0);
            System.out.printf(Locale.ROOT, "server heap: used=%d MB committed=%d MB%n",
                    health.path("heap").path("usedBytes").asLong() >> 20, health.path("heap").path("committedBytes").asLong() >> 20);
            if (attack != null) {
                long bad = attack.unexpected.values().stream().mapToLong(LongAdder::sum).sum();
                System.out.printf(Locale.ROOT, "hostile inputs: tried=%d answered as expected=%d unexpected=%d %s%n",
                        attack.tried.sum(), attack.answered.sum(), bad, attack.unexpected);
                System.out.println("server heap used/committed MB, once a minute: " + String.join(" ", heap));
                return bad == 0 ? 0 : 1;
            }
            return 0;
        } finally {
            for (StreamClient c : clients) c.close();
            for (String id : ids) {
                HttpRequest.Builder del = HttpRequest.newBuilder(URI.create(url + "/api/sessions/" + id)).DELETE();
                if (bearer != null) del.header("Authorization", "Bearer " + bearer);
                try {
                    StreamClient.HTTP.send(del.build(), HttpResponse.BodyHandlers.discarding());
                } catch (Exception e) {
                    // best effort: the server's idle timeout removes it otherwise
                }
            }
        }
    }

    private static void record(Recorder latency, LongAdder received, long wallUs, long measuring) {
        if (measuring == 0) return;
        Instant now = Instant.now();
        long nowUs = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        latency.recordValue(Math.max(0, Math.min(nowUs - wallUs, 3_600_000_000L)));
        received.increment();
    }

    private static long number(String text, String key) {
        int at = text.indexOf(key);
        if (at < 0) return 0;
        long v = 0;
        for (int i = at + key.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') break;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static long sum(AtomicLongArray a) {
        long s = 0;
        for (int i = 0; i < a.length(); i++) s += a.get(i);
        return s;
    }
}
