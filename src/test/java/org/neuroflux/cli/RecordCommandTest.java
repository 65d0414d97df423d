package org.neuroflux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroflux.config.ConfigLoader;
import org.neuroflux.transport.NeurofluxServer;
import reactor.core.scheduler.Schedulers;

/** neuroflux record against a real server on 127.0.0.1: true counts, exact --frames, clear errors, flushed lines. */
class RecordCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private NeurofluxServer server;

    private void start() {
        Map<String, String> env = new HashMap<>();
        env.put("NEUROFLUX_HOST", "127.0.0.1");
        env.put("NEUROFLUX_PORT", "0");
        env.put("NEUROFLUX_DEMO_ENABLED", "false");
        server = NeurofluxServer.start(ConfigLoader.load(null, env), Schedulers.parallel());
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop();
    }

    private String session(double iterationMs) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/sessions"))
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"model\":\"tmaze\",\"schemes\":[\"active-inference\"],\"pacing\":{\"iterationMs\":"
                                                + iterationMs + "}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return "http://127.0.0.1:" + server.port() + "/api/sessions/"
                + JSON.readTree(r.body()).get("id").asText();
    }

    @Test
    void stopsAtExactlyTheRequestedFramesAndPrintsTheTrueCount(@TempDir Path dir) throws Exception {
        start();
        Path out = dir.resolve("rec.jsonl");
        CliRun run = CliRun.of(
                "record",
                "--session",
                session(1),
                "--out",
                out.toString(),
                "--frames",
                "50",
                "--channels",
                "rate,outcome");
        assertEquals(0, run.code(), run.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(51, lines.size()); // the header and 50 frames
        assertEquals("neuroflux record: 50 frames to " + out, run.err().strip());
    }

    @Test
    void refusedConnectionsAndUnknownSessionsAreUserErrorsWithoutAStackTrace(@TempDir Path dir) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        CliRun refused = CliRun.of(
                "record",
                "--session",
                "ws://127.0.0.1:" + closedPort + "/ws/sessions/x/signals",
                "--out",
                dir.resolve("a.jsonl").toString());
        assertEquals(2, refused.code(), refused.err());
        assertEquals(
                "neuroflux record: cannot connect to ws://127.0.0.1:" + closedPort
                        + ": connection refused (is the server running?)",
                refused.err().strip());
        start();
        CliRun missing = CliRun.of(
                "record",
                "--session",
                "http://127.0.0.1:" + server.port() + "/api/sessions/nosuch",
                "--out",
                dir.resolve("b.jsonl").toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(
                missing.err()
                        .startsWith(
                                "neuroflux record: the server refused the subscription with HTTP 404 (no such session"),
                missing.err());
        assertFalse(missing.err().contains("\tat "), missing.err());
    }

    @Test
    void linesReachTheFileAsTheyArriveAndAServerShutdownIsReportedWithExitThree(@TempDir Path dir) throws Exception {
        start();
        Path out = dir.resolve("rec.jsonl");
        String url = session(15.625);
        CompletableFuture<CliRun> run =
                CompletableFuture.supplyAsync(() -> CliRun.of("record", "--session", url, "--out", out.toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((!Files.exists(out) || Files.readAllLines(out).size() < 4) && System.nanoTime() < deadline)
            Thread.sleep(20);
        // without a flush per line the 8 KB buffer would still hold these (a frame is ~300 bytes)
        List<String> early = Files.readAllLines(out);
        assertTrue(early.size() >= 4, "lines on disk while recording: " + early.size());
        for (String line : early.subList(0, early.size() - 1)) JSON.readTree(line);
        server.stop();
        CliRun result = run.get(60, TimeUnit.SECONDS);
        assertEquals(RecordCommand.EXIT_STREAM_LOST, result.code(), result.err());
        long frames = Files.readAllLines(out).size() - 1;
        assertEquals(
                "neuroflux record: " + frames + " frames to " + out
                        + "; the server shut down (1001 server shutting down); "
                        + "the recording is complete up to then",
                result.err().strip());
    }
}
