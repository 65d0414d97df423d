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
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialSolver;
import org.neuroflux.library.ModelLibrary;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code neuroflux loadtest}: a benchmark, not a test. Creates sessions on a running server,
 * subscribes to each, and reports frames/s (one message per iteration, carrying every scheme) and
 * scheme-iterations/s, end-to-end latency (frame wallUs to arrival; client and server share this
 * machine's clock) p50/p99/p999 with HdrHistogram, drops, the server's recent pacing lag, and heap.
 */
@Command(
        name = "loadtest",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Load a running server with sessions and subscribers and report throughput and latency.")
public final class LoadtestCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = "--url",
            defaultValue = "http://127.0.0.1:8080",
            paramLabel = "URL",
            description = "Server (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(
            names = "--sessions",
            defaultValue = "10",
            paramLabel = "N",
            description = "Sessions to create (default: ${DEFAULT-VALUE}).")
    int sessions;

    @Option(
            names = "--subscribers",
            defaultValue = "1",
            paramLabel = "M",
            description = "Subscribers per session (default: ${DEFAULT-VALUE}).")
    int subscribers;

    @Option(
            names = "--duration",
            defaultValue = "30",
            paramLabel = "SECONDS",
            description = "Measured duration (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(
            names = "--warmup",
            defaultValue = "5",
            paramLabel = "SECONDS",
            description = "Unmeasured warm-up (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(
            names = "--format",
            defaultValue = "json",
            paramLabel = "FORMAT",
            description = "json or binary (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = "--pacing",
            defaultValue = "15.625",
            paramLabel = "MS|max",
            description = "iterationMs of the sessions, or max (default: ${DEFAULT-VALUE}).")
    String pacing;

    @Option(
            names = "--schemes",
            defaultValue = "active-inference,natural-gradient",
            paramLabel = "LIST",
            description = "Schemes per session (default: ${DEFAULT-VALUE}).")
    String schemes;

    @Option(
            names = "--channels",
            defaultValue = "rate,policy,precision,dopamine",
            paramLabel = "LIST",
            description = "Channels (default: ${DEFAULT-VALUE}).")
    String channels;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token (default: $NEUROFLUX_TOKEN).")
    String token;

    @Option(
            names = "--engine-baseline",
            defaultValue = "0",
            paramLabel = "SECONDS",
            description =
                    "After the run, time the belief engine alone in this process on the T-maze (same schemes, one thread) "
                            + "for this long and report the streamed scheme-iterations/s as a share of it (default: ${DEFAULT-VALUE}, off).")
    double engineBaseline;

    @Option(
            names = "--hostile",
            description =
                    "Soak mode: meanwhile send malformed ingest messages, bad requests, oversized models and "
                            + "abrupt disconnects, check each gets its clear answer, and sample the server heap every minute (BENCHMARKS.md, Reliability).")
    boolean hostile;

    @Override
    public Integer call() throws Exception {
        boolean binary = format.equalsIgnoreCase("binary");
        if (!binary && !format.equalsIgnoreCase("json")) throw new UserException("--format must be json or binary");
        String bearer = token != null ? token : System.getenv("NEUROFLUX_TOKEN");
        String pacingJson = pacing.equals("max") ? "\"max\"" : String.valueOf(Double.parseDouble(pacing));
        StringBuilder schemeJson = new StringBuilder();
        for (String s : schemes.split(","))
            schemeJson
                    .append(schemeJson.length() == 0 ? "" : ",")
                    .append('"')
                    .append(s.trim())
                    .append('"');
        String body = "{\"model\":\"tmaze\",\"schemes\":[" + schemeJson + "],\"pacing\":{\"iterationMs\":" + pacingJson
                + "}}";
        List<String> ids = new ArrayList<>();
        List<StreamClient> clients = new ArrayList<>();
        Recorder latency = new Recorder(3_600_000_000L, 3);
        LongAdder received = new LongAdder();
        ResumedNotices resumed = new ResumedNotices();
        int total = sessions * subscribers;
        AtomicLongArray dropped = new AtomicLongArray(total);
        long[] measuring = {0};
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        String ws = url.replaceFirst("^http", "ws");
        try {
            for (int i = 0; i < sessions; i++) {
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + "/api/sessions"))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json");
                if (bearer != null) req.header("Authorization", "Bearer " + bearer);
                HttpResponse<String> r = StreamClient.HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 201)
                    throw new UserException(
                            "creating session " + (i + 1) + ": HTTP " + r.statusCode() + " " + r.body());
                ids.add(JSON.readTree(r.body()).get("id").asText());
            }
            List<CompletableFuture<?>> connecting = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                int slot = i;
                String id = ids.get(i / subscribers);
                StreamClient c = new StreamClient(
                        text -> {
                            if (text.startsWith("{\"type\":\"resumed\"")) {
                                resumed.record(System.currentTimeMillis());
                                return;
                            }
                            if (!text.startsWith("{\"type\":\"frame\"")) return;
                            long wall = number(text, "\"wallUs\":");
                            dropped.set(slot, number(text, "\"dropped\":"));
                            record(latency, received, wall, measuring[0]);
                        },
                        buf -> {
                            // docs/protocol.md, binary layout 2: one message per iteration, every scheme
                            ByteBuffer b = buf.order(ByteOrder.LITTLE_ENDIAN);
                            dropped.set(slot, b.getLong(48));
                            record(latency, received, b.getLong(40), measuring[0]);
                        });
                clients.add(c);
                String q = "?format=" + (binary ? "binary" : "json") + "&channels=" + channels;
                // a subscriber that cannot connect (an overloaded server) is counted, not fatal
                connecting.add(c.connect(ws + "/ws/sessions/" + id + "/signals" + q, bearer)
                        .handle((socket, e) -> {
                            if (e != null) failed.incrementAndGet();
                            return null;
                        }));
                if (connecting.size() % 200 == 0)
                    CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new))
                            .get(300, TimeUnit.SECONDS);
            }
            CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new))
                    .get(300, TimeUnit.SECONDS);
            HostileTraffic attack = null;
            Thread attacker = null;
            if (hostile) {
                String clientBody =
                        "{\"model\":\"tmaze\",\"source\":{\"type\":\"client\"},\"pacing\":{\"iterationMs\":\"max\"}}";
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + "/api/sessions"))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(clientBody));
                if (bearer != null) req.header("Authorization", "Bearer " + bearer);
                HttpResponse<String> r = StreamClient.HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 201)
                    throw new UserException("creating the client session: HTTP " + r.statusCode() + " " + r.body());
                ids.add(JSON.readTree(r.body()).get("id").asText());
                attack = new HostileTraffic(url, ids.get(ids.size() - 1), ids.get(0), bearer);
                attacker = new Thread(attack, "loadtest-hostile");
                attacker.setDaemon(true);
                attacker.start();
            }
            System.err.printf(
                    Locale.ROOT,
                    "loadtest: %d sessions x %d subscribers connected; warming up %.0f s%n",
                    sessions,
                    subscribers,
                    warmup);
            Thread.sleep(Math.round(warmup * 1000));
            long droppedBefore = sum(dropped);
            if (failed.get() > 0)
                System.err.printf(Locale.ROOT, "loadtest: %d subscribers could not connect%n", failed.get());
            latency.getIntervalHistogram();
            long receivedBefore = received.sum();
            double cpuBefore = JSON.readTree(StreamClient.HTTP
                            .send(
                                    HttpRequest.newBuilder(URI.create(url + "/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body())
                    .path("processCpuSeconds")
                    .asDouble();
            measuring[0] = 1;
            long t0 = System.nanoTime();
            List<String> heap = new ArrayList<>();
            long end = t0 + Math.round(duration * 1e9);
            for (long next = t0; System.nanoTime() < end; ) {
                if (hostile && System.nanoTime() >= next) { // heap used now, and committed, once a minute
                    JsonNode h = JSON.readTree(StreamClient.HTTP
                                    .send(
                                            HttpRequest.newBuilder(URI.create(url + "/health"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body())
                            .path("heap");
                    heap.add((h.path("usedBytes").asLong() >> 20) + "/"
                            + (h.path("committedBytes").asLong() >> 20));
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
            JsonNode health = JSON.readTree(StreamClient.HTTP
                    .send(
                            HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            System.out.printf(
                    Locale.ROOT,
                    "sessions=%d subscribers/session=%d (failed to connect: %d) format=%s pacing=%s schemes=%s duration=%.1fs%n",
                    sessions,
                    subscribers,
                    failed.get(),
                    binary ? "binary" : "json",
                    pacing,
                    schemes,
                    seconds);
            int schemeCount = schemes.split(",").length;
            System.out.printf(
                    Locale.ROOT,
                    "frames/s=%.0f  scheme-iterations/s=%.0f  frames=%d  drops(subscribers)=%d  serverFramesDropped=%d%n",
                    frames / seconds,
                    frames * schemeCount / seconds,
                    frames,
                    drops,
                    health.path("framesDropped").asLong());
            System.out.printf(
                    Locale.ROOT,
                    "latency ms: p50=%.3f p99=%.3f p999=%.3f max=%.3f (n=%d)%n",
                    h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0,
                    h.getValueAtPercentile(99.9) / 1000.0,
                    h.getMaxValue() / 1000.0,
                    h.getTotalCount());
            JsonNode lag = health.path("lagMicros");
            System.out.printf(
                    Locale.ROOT,
                    "server pacing lag ms (last 5-10 s): p50=%.3f p99=%.3f p999=%.3f max=%.3f (n=%d)%n",
                    lag.path("p50").asLong() / 1000.0,
                    lag.path("p99").asLong() / 1000.0,
                    lag.path("p999").asLong() / 1000.0,
                    lag.path("max").asLong() / 1000.0,
                    lag.path("count").asLong());
            double serverCpu = health.path("processCpuSeconds").asDouble() - cpuBefore;
            System.out.printf(
                    Locale.ROOT,
                    "server CPU: %.2f cores busy on average; %.2f us of server CPU per delivered frame%n",
                    serverCpu / seconds,
                    frames == 0 ? Double.NaN : serverCpu * 1e6 / frames);
            if (resumed.count() > 0) // cluster mode: sessions moved to another instance during the run
            System.out.printf(
                        Locale.ROOT,
                        "resumed notices: %d, first at %d, last at %d (Unix ms)%n",
                        resumed.count(),
                        resumed.first(),
                        resumed.last());
            System.out.printf(
                    Locale.ROOT,
                    "server heap: used=%d MB committed=%d MB; ticks missed (server, since start)=%d%n",
                    health.path("heap").path("usedBytes").asLong() >> 20,
                    health.path("heap").path("committedBytes").asLong() >> 20,
                    health.path("ticksMissed").asLong());
            if (engineBaseline > 0) {
                for (StreamClient c : clients) c.close(); // the engine alone, with nothing streaming from this run
                double[] alone = engineIterationsPerSecond(schemes, engineBaseline);
                double streamed = frames * schemeCount / seconds;
                // per CPU second too: on a shared machine wall-clock rates say more about the neighbours than about us
                double streamedPerCpu = serverCpu > 0 ? frames * schemeCount / serverCpu : Double.NaN;
                System.out.printf(
                        Locale.ROOT,
                        "engine alone: scheme-iterations/s=%.0f (per CPU second %.0f); streamed/engine: wall %.2f, per CPU second %.2f%n",
                        alone[0],
                        alone[1],
                        streamed / alone[0],
                        streamedPerCpu / alone[1]);
            }
            if (attack != null) {
                long bad = attack.unexpected.values().stream()
                        .mapToLong(LongAdder::sum)
                        .sum();
                System.out.printf(
                        Locale.ROOT,
                        "hostile inputs: tried=%d answered as expected=%d unexpected=%d %s%n",
                        attack.tried.sum(),
                        attack.answered.sum(),
                        bad,
                        attack.unexpected);
                System.out.println("server heap used/committed MB, once a minute: " + String.join(" ", heap));
                return bad == 0 ? 0 : 1;
            }
            return 0;
        } finally {
            for (StreamClient c : clients) c.close();
            for (String id : ids) {
                HttpRequest.Builder del = HttpRequest.newBuilder(URI.create(url + "/api/sessions/" + id))
                        .DELETE();
                if (bearer != null) del.header("Authorization", "Bearer " + bearer);
                try {
                    StreamClient.HTTP.send(del.build(), HttpResponse.BodyHandlers.discarding());
                } catch (Exception e) {
                    // best effort: the server's idle timeout removes it otherwise
                }
            }
        }
    }

    /**
     * Scheme-iterations per second of the belief engine alone on the T-maze, as a session runs it
     * (one solver per scheme, epoch by epoch, trials back to back) but with nothing streamed: per
     * second of wall clock, and per second of this thread's CPU.
     */
    static double[] engineIterationsPerSecond(String schemeList, double seconds) throws Exception {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        GenerativeModel model = ModelLibrary.standard().load("tmaze").models().get(0);
        List<TrialSolver> solvers = new ArrayList<>();
        for (String s : schemeList.split(","))
            solvers.add(new TrialSolver(model, SolverOptions.spm().withScheme(Scheme.parse(s))));
        TrialFixture fixture = TrialFixture.free(model.factorCount(), model.modalityCount(), model.epochs());
        SplitMixSource random = new SplitMixSource(1);
        long iterations = 0;
        long counted = 0;
        long start = 0;
        long cpuStart = 0;
        long t0 = System.nanoTime();
        long warm = t0 + Math.round(Math.min(3, seconds / 3) * 1e9); // JIT warm-up, not counted
        long end = t0 + Math.round(seconds * 1e9);
        while (System.nanoTime() < end) {
            for (TrialSolver sv : solvers) {
                sv.startTrial(model, fixture, random);
                while (sv.hasNextEpoch()) {
                    sv.runEpoch();
                    iterations += sv.iterations();
                }
            }
            if (start == 0 && System.nanoTime() >= warm) {
                start = System.nanoTime();
                cpuStart = threads.getCurrentThreadCpuTime();
                counted = iterations;
            }
        }
        double n = iterations - counted;
        return new double[] {
            n / ((System.nanoTime() - start) / 1e9), n / ((threads.getCurrentThreadCpuTime() - cpuStart) / 1e9)
        };
    }

    private static void record(Recorder latency, LongAdder received, long wallUs, long measuring) {
        if (measuring == 0) return;
        Instant now = Instant.now();
        long nowUs = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        latency.recordValue(Math.max(0, Math.min(nowUs - wallUs, 3_600_000_000L)));
        received.increment();
    }

    /** {@code resumed} notices seen (cluster mode: a session moved to a new owner) and when the first and last arrived. */
    private static final class ResumedNotices {
        private long count;
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;

        synchronized void record(long atMillis) {
            count++;
            first = Math.min(first, atMillis);
            last = Math.max(last, atMillis);
        }

        synchronized long count() {
            return count;
        }

        synchronized long first() {
            return first;
        }

        synchronized long last() {
            return last;
        }
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
