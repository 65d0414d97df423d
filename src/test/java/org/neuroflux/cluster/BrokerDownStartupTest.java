package org.neuroflux.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code neuroflux serve} in cluster mode kafka, started as its own process while no broker
 * listens: it keeps serving, says on its log and on /health that the broker is unreachable, keeps
 * retrying, and once a broker starts on that address it creates the topics and reports it up.
 */
@Tag("slow")
@Tag("kafka")
class BrokerDownStartupTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void anInstanceStartedWhileTheBrokerIsDownReportsItRetriesAndConnectsOnceItIsUp() throws Exception {
        int[] ports = KafkaBroker.freePorts();
        String brokerAddress = "127.0.0.1:" + ports[0];
        Path log = dir.resolve("serve.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "org.neuroflux.cli.Main",
                "serve",
                "--port",
                "0"));
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment()
                .putAll(Map.of(
                        "NEUROFLUX_HOST",
                        "127.0.0.1",
                        "NEUROFLUX_DEMO_ENABLED",
                        "false",
                        "NEUROFLUX_CLUSTER_MODE",
                        "kafka",
                        "NEUROFLUX_CLUSTER_BOOTSTRAP_SERVERS",
                        brokerAddress,
                        "NEUROFLUX_CLUSTER_TOPIC_PREFIX",
                        "down",
                        "NEUROFLUX_CLUSTER_INSTANCE_ID",
                        "down-1",
                        "NEUROFLUX_CLUSTER_PARTITIONS",
                        "3"));
        Process serve = pb.start();
        try {
            Matcher listening = awaitLog(serve, log, Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)"));
            int port = Integer.parseInt(listening.group(1));
            awaitLog(
                    serve,
                    log,
                    Pattern.compile("cluster mode kafka, instance down-1, brokers " + Pattern.quote(brokerAddress)));
            // two reports: it retried after the first failure, and said so both times
            awaitLog(
                    serve,
                    log,
                    Pattern.compile("kafka: broker at " + Pattern.quote(brokerAddress)
                            + " not reachable \\(attempt 2: [^)]+\\); retrying in \\d+ s"));
            assertTrue(read(log).contains("not reachable (attempt 1: "), read(log));

            JsonNode down = health(port);
            assertEquals(200, down.get("status").intValue(), "the server keeps serving without its broker");
            JsonNode broker = down.get("body").get("broker");
            assertEquals(false, broker.get("reachable").booleanValue(), broker.toString());
            assertEquals("DOWN", broker.get("state").asText());
            assertTrue(broker.get("failures").intValue() >= 2, broker.toString());
            assertTrue(!broker.get("error").asText().isEmpty(), broker.toString());
            assertTrue(serve.isAlive(), "never exits while the broker is down");

            try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("broker"), ports[0], ports[1])) {
                awaitLog(
                        serve,
                        log,
                        Pattern.compile(
                                "kafka: connected to cluster \\S+ at " + Pattern.quote(brokerAddress)
                                        + " \\(1 broker\\); topics ready \\(created \\[down\\.observations, down\\.sessions, down\\.signals, down\\.state\\]"));
                JsonNode up = health(port).get("body").get("broker");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!up.get("reachable").booleanValue() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    up = health(port).get("body").get("broker");
                }
                assertEquals("UP", up.get("state").asText(), up.toString());
                assertEquals(1, up.get("brokers").intValue());
                try (Admin admin = Admin.create(new KafkaClients(kafka.bootstrapServers(), "check").admin())) {
                    Map<String, TopicDescription> topics = admin.describeTopics(
                                    ClusterTopics.withPrefix("down").all())
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS);
                    for (TopicDescription t : topics.values())
                        assertEquals(3, t.partitions().size(), t.name());
                    assertEquals(
                            admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS),
                            up.get("clusterId").asText());
                }
                assertTrue(serve.isAlive());
            }
        } finally {
            serve.destroy();
            if (!serve.waitFor(30, TimeUnit.SECONDS)) serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static JsonNode health(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.createObjectNode().put("status", r.statusCode()).set("body", JSON.readTree(r.body()));
    }

    /** Waits (90 s at most) for a line of the process's log to match; fails with the log if the process ends first. */
    private static Matcher awaitLog(Process p, Path log, Pattern pattern) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(read(log));
            if (m.find()) return m;
            if (!p.isAlive())
                fail("serve exited with " + p.exitValue() + " before its log matched " + pattern + ":\n" + read(log));
            Thread.sleep(100);
        }
        return fail("no log line matched " + pattern + " within 90 s:\n" + read(log));
    }

    private static String read(Path log) throws Exception {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
