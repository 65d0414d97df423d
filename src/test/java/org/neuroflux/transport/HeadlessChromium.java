package org.neuroflux.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven over the DevTools protocol (a java.net.http WebSocket; no
 * Selenium). Started with a fresh profile and every background service off, its DevTools port
 * picked by Chromium on 127.0.0.1 and read back from the profile's DevToolsActivePort file.
 * Console errors, uncaught exceptions and browser log errors are collected for assertions.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    private static final List<String> CANDIDATES =
            List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** Console errors, exceptions and log errors the page produced. */
    final List<String> problems = new CopyOnWriteArrayList<>();
    /** Requests sent and not yet finished (method and URL by request id), for diagnostics. */
    final Map<String, String> pendingRequests = new ConcurrentHashMap<>();

    /**
     * The Chromium executable: $NEUROFLUX_CHROMIUM (a path, or {@code none} to skip the browser tests),
     * else the first of the usual Debian paths that exists, else null.
     */
    static Path executable() {
        String env = System.getenv("NEUROFLUX_CHROMIUM");
        if ("none".equals(env)) return null;
        if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) return Path.of(env);
        for (String c : CANDIDATES) if (Files.isExecutable(Path.of(c))) return Path.of(c);
        return null;
    }

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts Chromium on about:blank, window width x height, and attaches to its page. */
    static HeadlessChromium start(Path executable, Path logFile, int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("neuroflux-chromium-");
        List<String> cmd = new ArrayList<>(List.of(
                executable.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-extensions",
                "--mute-audio",
                "--hide-scrollbars",
                "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--window-size=" + width + "," + height,
                "about:blank"));
        Files.createDirectories(logFile.getParent());
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.isRegularFile(portFile)
                    && Files.readAllLines(portFile).size() >= 2)) {
                if (!p.isAlive())
                    throw new IllegalStateException("chromium exited with " + p.exitValue() + ", see " + logFile);
                if (System.nanoTime() > deadline)
                    throw new IllegalStateException("chromium did not open its DevTools port in 30 s, see " + logFile);
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            String pageUrl = null;
            for (int attempt = 0; attempt < 100 && pageUrl == null; attempt++) {
                String list = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                for (JsonNode t : JSON.readTree(list)) {
                    if ("page".equals(t.path("type").asText()))
                        pageUrl = t.get("webSocketDebuggerUrl").asText();
                }
                if (pageUrl == null) Thread.sleep(100);
            }
            if (pageUrl == null) throw new IllegalStateException("chromium shows no page target");
            Listener listener = new Listener();
            WebSocket ws = http.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(pageUrl), listener)
                    .get(10, TimeUnit.SECONDS);
            HeadlessChromium c = new HeadlessChromium(p, profile, ws);
            listener.owner = c;
            c.call("Runtime.enable", null);
            c.call("Log.enable", null);
            c.call("Page.enable", null);
            c.call("Network.enable", null);
            return c;
        } catch (Exception | Error e) {
            p.destroyForcibly();
            deleteTree(profile);
            throw e;
        }
    }

    /** Sends one DevTools command and waits for its result. */
    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) msg.set("params", params);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        synchronized (socket) {
            socket.sendText(JSON.writeValueAsString(msg), true).get(5, TimeUnit.SECONDS);
        }
        JsonNode reply = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) throw new IllegalStateException(method + ": " + reply.get("error"));
        return reply.path("result");
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** Evaluates an expression in the page (promises awaited) and returns its JSON value. */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode r = call(
                "Runtime.evaluate",
                JSON.createObjectNode()
                        .put("expression", expression)
                        .put("returnByValue", true)
                        .put("awaitPromise", true));
        if (r.has("exceptionDetails")) throw new IllegalStateException("page threw: " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** Writes a PNG screenshot of the viewport. */
    void screenshot(Path png) throws Exception {
        JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode(r.get("data").asText()));
    }

    private void onMessage(JsonNode msg) {
        if (msg.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
            if (f != null) f.complete(msg);
            return;
        }
        String method = msg.path("method").asText();
        JsonNode p = msg.path("params");
        switch (method) {
            case "Runtime.exceptionThrown" -> problems.add("exception: " + p.path("exceptionDetails"));
            case "Runtime.consoleAPICalled" -> {
                if ("error".equals(p.path("type").asText())) problems.add("console.error: " + p.path("args"));
            }
            case "Log.entryAdded" -> {
                JsonNode e = p.path("entry");
                if ("error".equals(e.path("level").asText()))
                    problems.add("log: " + e.path("text").asText() + " "
                            + e.path("url").asText());
            }
            case "Network.requestWillBeSent" ->
                pendingRequests.put(
                        p.path("requestId").asText(),
                        p.path("request").path("method").asText() + " "
                                + p.path("request").path("url").asText());
            case "Network.loadingFinished", "Network.loadingFailed" ->
                pendingRequests.remove(p.path("requestId").asText());
            default -> {}
        }
    }

    @Override
    public void close() {
        try {
            CompletableFuture<JsonNode> unused = new CompletableFuture<>();
            int id = ids.incrementAndGet();
            pending.put(id, unused);
            synchronized (socket) {
                socket.sendText("{\"id\":" + id + ",\"method\":\"Browser.close\"}", true)
                        .get(2, TimeUnit.SECONDS);
            }
        } catch (Exception ignored) {
            // the process is ended below either way
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS))
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        socket.abort();
        deleteTree(profile);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp profile is harmless
        }
    }

    /** Joins partial messages and hands whole ones to the owner. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        volatile HeadlessChromium owner;

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String whole = text.toString();
                text.setLength(0);
                try {
                    HeadlessChromium o = owner;
                    if (o != null) o.onMessage(JSON.readTree(whole));
                } catch (IOException e) {
                    // not JSON: ignore
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
