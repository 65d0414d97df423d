package org.neuroflux.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code neuroflux serve} instances in cluster mode kafka as separate JVM processes (each can be
 * stopped with SIGTERM or killed with kill -9), and the HTTP and WebSocket clients the cluster tests
 * talk to them with, all over 127.0.0.1. {@link #close()} stops whatever is still running.
 */
final class ClusterHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final Path dir;
    private final String bootstrap;
    private final String topicPrefix;
    private final int partitions;
    private final List<Process> processes = new ArrayList<>();

    ClusterHarness(Path dir, String bootstrap, String topicPrefix, int partitions) {
        this.dir = dir;
        this.bootstrap = bootstrap;
        this.topicPrefix = topicPrefix;
        this.partitions = partitions;
    }

    /** One instance: its id, process, port and log. */
    record Instance(String id, Process process, int port, Path log) {
        String http(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        String ws(String path) {
            return "ws://127.0.0.1:" + port + path;
        }
    }

    /** Starts instance {@code id} and returns once it listens and reaches the broker. */
    Instance serve(String id) throws Exception {
        Path log = dir.resolve("serve-" + id + "-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx384m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.neuroflux.cli.Main",
                        "serve",
                        "--port",
                        "0"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = new HashMap<>();
        env.put("NEUROFLUX_HOST", "127.0.0.1");
        env.put("NEUROFLUX_DEMO_ENABLED", "false");
        env.put("NEUROFLUX_LIMITS_IDLE_TIMEOUT_SECONDS", "0");
        env.put("NEUROFLUX_CLUSTER_MODE", "kafka");
        env.put("NEUROFLUX_CLUSTER_BOOTSTRAP_SERVERS", bootstrap);
        env.put("NEUROFLUX_CLUSTER_TOPIC_PREFIX", topicPrefix);
        env.put("NEUROFLUX_CLUSTER_INSTANCE_ID", id);
        env.put("NEUROFLUX_CLUSTER_PARTITIONS", Integer.toString(partitions));
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        Matcher m = awaitLog(p, log, Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)"));
        Instance instance = new Instance(id, p, Integer.parseInt(m.group(1)), log);
        awaitTrue(
                () -> get(instance, "/health")
                        .body()
                        .path("broker")
                        .path("reachable")
                        .asBoolean(),
                Duration.ofSeconds(60),
                "instance " + id + " reaches the broker");
        return instance;
    }

    /** kill -9. */
    static void kill(Instance i) throws InterruptedException {
        i.process().destroyForcibly();
        if (!i.process().waitFor(10, TimeUnit.SECONDS)) fail("instance " + i.id() + " did not die");
    }

    /** SIGTERM, and waits for the instance to stop. */
    static void stop(Instance i) throws InterruptedException {
        i.process().destroy();
        if (!i.process().waitFor(60, TimeUnit.SECONDS)) fail("instance " + i.id() + " did not stop on SIGTERM");
    }

    @Override
    public void close() {
        try {
            for (Process p : processes) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            for (Process p : processes) p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Matcher awaitLog(Process p, Path log, Pattern pattern) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            Matcher m = pattern.matcher(text);
            if (m.find()) return m;
            if (!p.isAlive()) fail("serve exited with " + p.exitValue() + ":\n" + text);
            Thread.sleep(100);
        }
        return fail("no log line matched " + pattern);
    }

    // --- HTTP ------------------------------------------------------------------------------------

    record Reply(int status, JsonNode body) {}

    /** POST /api/sessions through {@code via}; the new session's id (201 once the broker has the definition). */
    static String create(Instance via, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(via.http("/api/sessions")))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static Reply get(Instance via, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(via.http(path)))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    /**
     * Session -> owner, once every one of {@code sessions} runs on exactly one of {@code instances}
     * (listed there with a state other than "remote") and every instance lists it with that owner.
     */
    static Map<String, String> awaitOwners(List<Instance> instances, List<String> sessions, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String why = "";
        while (System.nanoTime() < deadline) {
            Map<String, Map<String, JsonNode>> listed = new HashMap<>();
            for (Instance i : instances) {
                Map<String, JsonNode> byId = new HashMap<>();
                for (JsonNode d : get(i, "/api/sessions").body().path("sessions"))
                    byId.put(d.get("id").asText(), d);
                listed.put(i.id(), byId);
            }
            Map<String, String> owners = new HashMap<>();
            why = "";
            for (String s : sessions) {
                String runsOn = null;
                int running = 0;
                boolean agreed = true;
                for (Instance i : instances) {
                    JsonNode d = listed.get(i.id()).get(s);
                    if (d == null) {
                        agreed = false;
                        continue;
                    }
                    if (!d.path("state").asText().equals("remote")) {
                        running++;
                        runsOn = i.id();
                    }
                }
                if (running == 1 && agreed) {
                    for (Instance i : instances)
                        agreed &= runsOn.equals(
                                listed.get(i.id()).get(s).path("owner").asText());
                }
                if (running == 1 && agreed) owners.put(s, runsOn);
                else if (why.length() < 2000) why += s + ": runs on " + running + " instances; ";
            }
            if (owners.size() == sessions.size()) return owners;
            Thread.sleep(500);
        }
        return fail("sessions not each on one owner within " + timeout + ": " + why);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void awaitTrue(Check check, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) return;
            Thread.sleep(200);
        }
        fail(what + ": not within " + timeout);
    }

    // --- WebSocket -------------------------------------------------------------------------------

    /**
     * A text-message WebSocket client: every message is handed to {@code onMessage} on the
     * client's thread as it arrives (the signals socket), or queued for {@link #next}.
     */
    static final class Ws implements WebSocket.Listener, AutoCloseable {
        interface OnMessage {
            void accept(JsonNode message);
        }

        private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final OnMessage onMessage;
        private WebSocket socket;

        private Ws(OnMessage onMessage) {
            this.onMessage = onMessage;
        }

        /** A client whose messages queue for {@link #next}. */
        static Ws connect(String uri) {
            return connect(uri, null);
        }

        /** A client whose messages go to {@code onMessage} (null: queue them). */
        static Ws connect(String uri, OnMessage onMessage) {
            Ws w = new Ws(onMessage);
            w.socket = HTTP.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(15))
                    .buildAsync(URI.create(uri), w)
                    .orTimeout(20, TimeUnit.SECONDS)
                    .join();
            return w;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String m = text.toString();
                text.setLength(0);
                if (onMessage == null) messages.add(m);
                else {
                    try {
                        onMessage.accept(JSON.readTree(m));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        void send(String message) {
            socket.sendText(message, true).orTimeout(10, TimeUnit.SECONDS).join();
        }

        JsonNode next(Duration timeout) throws Exception {
            String m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) fail("no message within " + timeout);
            return JSON.readTree(m);
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
