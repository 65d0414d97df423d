package org.neuroflux.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka KRaft node (combined controller and broker) for the cluster tests, started
 * from the kafka_2.13 jars on the test classpath in its own JVM, as {@code kafka-storage format}
 * then {@code kafka-server-start} would: {@code kafka.tools.StorageTool format} on a fresh log
 * directory, then {@code kafka.Kafka server.properties}. It listens on 127.0.0.1 only, on a port
 * chosen by the test, with a small heap. {@link #close()} stops it (SIGTERM, then SIGKILL);
 * {@link #kill()} is {@code kill -9}. A JVM shutdown hook kills it if a test forgets to.
 */
final class KafkaBroker implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Process process;
    private final Thread reaper;

    private KafkaBroker(Path dir, int port, int controllerPort, Process process) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.process = process;
        this.reaper = new Thread(process::destroyForcibly, "kafka-broker-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Two free loopback ports: the broker's and the controller's. */
    static int[] freePorts() {
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Formats a directory under {@code dir} and starts the node on free ports; returns once it
     * answers admin requests. A port taken by another process between choosing and binding makes the
     * broker exit at start: then it tries once more on other ports.
     */
    static KafkaBroker start(Path dir) {
        int[] ports = freePorts();
        try {
            return start(dir.resolve("node"), ports[0], ports[1]);
        } catch (ExitedAtStart e) {
            int[] again = freePorts();
            return start(dir.resolve("node-retry"), again[0], again[1]);
        }
    }

    /** The broker process ended while starting (e.g. its port was taken). */
    static final class ExitedAtStart extends IllegalStateException {
        ExitedAtStart(String message) {
            super(message);
        }
    }

    /** Formats {@code dir} and starts the node on the given ports; returns once it answers admin requests. */
    static KafkaBroker start(Path dir, int port, int controllerPort) {
        try {
            Files.createDirectories(dir);
            Path properties = dir.resolve("server.properties");
            Files.writeString(properties, serverProperties(dir.resolve("data"), port, controllerPort));
            Path logback = dir.resolve("logback-broker.xml");
            Files.writeString(logback, logbackConfig(dir.resolve("broker.log")));
            String clusterId = Uuid.randomUuid().toString();
            Process format = java(
                            dir,
                            logback,
                            "kafka.tools.StorageTool",
                            "format",
                            "-t",
                            clusterId,
                            "-c",
                            properties.toString())
                    .redirectOutput(dir.resolve("format.out").toFile())
                    .start();
            if (!format.waitFor(60, TimeUnit.SECONDS)) {
                format.destroyForcibly();
                throw new IllegalStateException(
                        "kafka-storage format did not finish within 60 s; see " + dir.resolve("format.out"));
            }
            if (format.exitValue() != 0)
                throw new IllegalStateException("kafka-storage format exited with " + format.exitValue() + ": "
                        + tail(dir.resolve("format.out")));
            Process server = java(dir, logback, "kafka.Kafka", properties.toString())
                    .redirectOutput(dir.resolve("broker.out").toFile())
                    .start();
            KafkaBroker broker = new KafkaBroker(dir, port, controllerPort, server);
            try {
                broker.awaitReady();
            } catch (RuntimeException | InterruptedException e) {
                broker.close(); // stopped (and its shutdown hook removed) whatever went wrong
                throw e;
            }
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the broker", e);
        }
    }

    private static ProcessBuilder java(Path dir, Path logback, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m",
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true",
                "-Dlogback.configurationFile=" + logback,
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    }

    private static String serverProperties(Path data, int port, int controllerPort) {
        return String.join(
                "\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + data,
                // the topics of neuroflux are created by neuroflux (TopicBootstrap), never by a stray producer
                "auto.create.topics.enable=false",
                // one node: the internal topics cannot have more replicas, and one partition each starts fastest
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // a shared 2-core machine: few threads
                "num.network.threads=2",
                "num.io.threads=2",
                "background.threads=2",
                "log.cleaner.threads=1",
                "num.recovery.threads.per.data.dir=1",
                "");
    }

    private static String logbackConfig(Path file) {
        return "<configuration>\n"
                + "  <appender name=\"FILE\" class=\"ch.qos.logback.core.FileAppender\">\n"
                + "    <file>" + file + "</file>\n"
                + "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>\n"
                + "  </appender>\n"
                + "  <logger name=\"kafka.server.KafkaRaftServer\" level=\"INFO\"/>\n"
                + "  <root level=\"WARN\"><appender-ref ref=\"FILE\"/></root>\n"
                + "</configuration>\n";
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> props = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3000);
        try (Admin admin = Admin.create(props)) {
            while (true) {
                if (!process.isAlive())
                    throw new ExitedAtStart(
                            "the broker exited with " + process.exitValue() + " while starting: " + logTail());
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "the broker did not answer within " + READY_TIMEOUT.toSeconds() + " s: " + logTail());
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    int controllerPort() {
        return controllerPort;
    }

    Path dir() {
        return dir;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The end of the broker's log, for failure messages. */
    String logTail() {
        return tail(dir.resolve("broker.log")) + tail(dir.resolve("broker.out"));
    }

    /** kill -9: no controlled shutdown. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Controlled shutdown (SIGTERM), then SIGKILL after 30 s. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) return "";
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "\n(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
