package org.neuroflux.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neuroflux.cli.UserErrors.UserException;
import org.neuroflux.cluster.ClusterConnector;
import org.neuroflux.cluster.ClusterNode;
import org.neuroflux.cluster.InstanceIds;
import org.neuroflux.config.ConfigException;
import org.neuroflux.config.ConfigLoader;
import org.neuroflux.config.NeurofluxConfig;
import org.neuroflux.pipeline.SessionRequests;
import org.neuroflux.transport.NeurofluxServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.scheduler.Schedulers;

/** {@code neuroflux serve}: the streaming server (HTTP API + WebSockets, docs/protocol.md). */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run the streaming server: sessions of the belief engine streamed over WebSocket.",
            "",
            "With no options it listens on 8080 and starts a demo T-maze session (both schemes, generative source). "
                    + "Settings: config/application.yaml (when present, or --config), overridden by NEUROFLUX_* environment variables."
        })
public final class ServeCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Configuration file (default: config/application.yaml if it exists).")
    Path config;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "TCP port (overrides the file and NEUROFLUX_PORT; 0 = any free port).")
    Integer port;

    @Override
    public Integer call() {
        Path file = config;
        if (file == null && Files.isRegularFile(Path.of("config", "application.yaml")))
            file = Path.of("config", "application.yaml");
        if (config != null && !Files.isRegularFile(config)) throw new UserException("no configuration file " + config);
        Map<String, String> env = new HashMap<>(System.getenv());
        if (port != null) env.put("NEUROFLUX_PORT", String.valueOf(port));
        NeurofluxConfig cfg;
        try {
            cfg = ConfigLoader.load(file, env);
        } catch (ConfigException e) {
            throw new UserException(e.getMessage());
        }
        NeurofluxServer server = NeurofluxServer.start(cfg, Schedulers.parallel());
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "neuroflux-shutdown"));
        System.err.println("neuroflux serve: listening on http://" + server.host() + ":" + server.port()
                + (server.demoSessionId() == null
                        ? ""
                        : "; demo session " + server.demoSessionId() + " at ws://localhost:" + server.port()
                                + "/ws/sessions/" + server.demoSessionId() + "/signals"));
        if (cfg.cluster().kafka()) startCluster(cfg, server);
        server.onDispose().block(); // the only block(): the main thread waits for the server
        return 0;
    }

    /**
     * Cluster mode kafka (docs/cluster.md): reach the brokers (retrying, and saying so, while they
     * are down), create the topics, report the broker on /health, and join the cluster: this
     * instance runs the sessions of its partitions and serves the others through Kafka.
     */
    private static void startCluster(NeurofluxConfig cfg, NeurofluxServer server) {
        String instanceId = InstanceIds.resolve(cfg.cluster().instanceId(), server.port());
        ClusterConnector connector = ClusterConnector.start(cfg.cluster(), instanceId);
        server.reportBroker(connector);
        ClusterNode node = ClusterNode.start(
                cfg.cluster(),
                connector,
                server.registry(),
                new SessionRequests(server.catalog(), cfg),
                instanceId,
                server.telemetry().service().cluster());
        server.useCluster(node);
        // one hook, in order: leave the group first, so the partitions move at once
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            node.close();
                            connector.close();
                        },
                        "neuroflux-kafka-shutdown"));
        System.err.println("neuroflux serve: cluster mode kafka, instance " + instanceId + ", brokers "
                + cfg.cluster().bootstrapServers()
                + " (broker state on /health; sessions run on the instance that owns their partition)");
    }
}
