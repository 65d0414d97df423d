package org.neuroflux.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.neuroflux.model.ModelLimits;

/**
 * The streaming service's configuration (config/application.yaml documents every field and its
 * default). Records only hold values; {@link #problems()} lists every violation so that
 * {@link ConfigLoader} can fail once with all of them.
 */
public record NeurofluxConfig(
        ServerConfig server,
        PacingConfig pacing,
        LimitsConfig limits,
        BackpressureConfig backpressure,
        SecurityConfig security,
        DemoConfig demo,
        MetricsConfig metrics,
        ClusterConfig cluster) {
    /** Characters Kafka accepts in topic names, also used for instance ids (they become client and transactional ids). */
    private static final Pattern KAFKA_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    /** A bootstrap server: host:port (host names, IPv4, or [IPv6]). */
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+):([0-9]{1,5})");

    /** The defaults: port 8080 on all interfaces, real-time pacing, demo session on, no token. */
    public static NeurofluxConfig defaults() {
        return new NeurofluxConfig(
                new ServerConfig("0.0.0.0", 8080, "config/models", "recordings", 2000),
                new PacingConfig(15.625, 256, 1000),
                new LimitsConfig(
                        2500,
                        64,
                        65536,
                        1 << 20,
                        200,
                        64,
                        600,
                        8,
                        ModelLimits.DEFAULTS.maxEpochs(),
                        ModelLimits.DEFAULTS.maxStates(),
                        ModelLimits.DEFAULTS.maxOutcomes(),
                        ModelLimits.DEFAULTS.maxPolicies(),
                        ModelLimits.DEFAULTS.maxFactors(),
                        ModelLimits.DEFAULTS.maxModalities(),
                        ModelLimits.DEFAULTS.maxElements(),
                        ModelLimits.DEFAULTS.maxIterationsPerTrial()),
                new BackpressureConfig(256, 4096, "drop-oldest", 2000),
                new SecurityConfig("", List.of("*"), false),
                new DemoConfig(true, "tmaze", List.of("active-inference", "natural-gradient"), 1),
                new MetricsConfig(false, 50),
                new ClusterConfig("standalone", "localhost:9092", "neuroflux", "", 12, 1));
    }

    /** Every violated constraint as "path: must ..., was ...". Empty when valid. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (server == null
                || pacing == null
                || limits == null
                || backpressure == null
                || security == null
                || demo == null
                || metrics == null
                || cluster == null) {
            p.add(
                    "every section (server, pacing, limits, backpressure, security, demo, metrics, cluster) must be present");
            return p;
        }
        if (server.host() == null || server.host().isBlank()) p.add("server.host: must not be empty");
        if (server.port() < 0 || server.port() > 65535) p.add("server.port: must be 0..65535, was " + server.port());
        if (server.modelsDir() == null || server.modelsDir().isBlank()) p.add("server.modelsDir: must not be empty");
        if (server.recordingsDir() == null || server.recordingsDir().isBlank())
            p.add("server.recordingsDir: must not be empty");
        if (server.shutdownGraceMs() < 0)
            p.add("server.shutdownGraceMs: must be >= 0, was " + server.shutdownGraceMs());
        if (!(pacing.iterationMs() > 0) || pacing.iterationMs() > 60_000)
            p.add("pacing.iterationMs: must be in (0, 60000], was " + pacing.iterationMs());
        if (pacing.batchLanes() < 1 || pacing.batchLanes() > 65_536)
            p.add("pacing.batchLanes: must be in 1..65536 (1 = no batching), was " + pacing.batchLanes());
        if (pacing.batchJoinWaitMs() < 0 || pacing.batchJoinWaitMs() > 60_000)
            p.add("pacing.batchJoinWaitMs: must be in 0..60000, was " + pacing.batchJoinWaitMs());
        if (limits.maxSessions() < 1) p.add("limits.maxSessions: must be >= 1, was " + limits.maxSessions());
        if (limits.maxSubscribersPerSession() < 1)
            p.add("limits.maxSubscribersPerSession: must be >= 1, was " + limits.maxSubscribersPerSession());
        if (limits.maxMessageBytes() < 256)
            p.add("limits.maxMessageBytes: must be >= 256, was " + limits.maxMessageBytes());
        if (limits.maxRequestBytes() < 1024)
            p.add("limits.maxRequestBytes: must be >= 1024, was " + limits.maxRequestBytes());
        if (!(limits.ingestMessagesPerSecond() > 0))
            p.add("limits.ingestMessagesPerSecond: must be > 0, was " + limits.ingestMessagesPerSecond());
        if (limits.ingestQueue() < 1) p.add("limits.ingestQueue: must be >= 1, was " + limits.ingestQueue());
        if (limits.maxIngestSocketsPerSession() < 1)
            p.add("limits.maxIngestSocketsPerSession: must be >= 1, was " + limits.maxIngestSocketsPerSession());
        long[] model = {
            limits.modelMaxEpochs(),
            limits.modelMaxStates(),
            limits.modelMaxOutcomes(),
            limits.modelMaxPolicies(),
            limits.modelMaxFactors(),
            limits.modelMaxModalities(),
            limits.modelMaxElements(),
            limits.modelMaxIterationsPerTrial()
        };
        String[] modelNames = {
            "modelMaxEpochs",
            "modelMaxStates",
            "modelMaxOutcomes",
            "modelMaxPolicies",
            "modelMaxFactors",
            "modelMaxModalities",
            "modelMaxElements",
            "modelMaxIterationsPerTrial"
        };
        for (int i = 0; i < model.length; i++)
            if (model[i] < 1) p.add("limits." + modelNames[i] + ": must be >= 1, was " + model[i]);
        if (limits.idleTimeoutSeconds() < 0)
            p.add("limits.idleTimeoutSeconds: must be >= 0 (0 = never), was " + limits.idleTimeoutSeconds());
        if (backpressure.subscriberBufferFrames() < 2)
            p.add("backpressure.subscriberBufferFrames: must be >= 2, was " + backpressure.subscriberBufferFrames());
        if (backpressure.maxSubscriberBufferFrames() < backpressure.subscriberBufferFrames())
            p.add("backpressure.maxSubscriberBufferFrames: must be >= subscriberBufferFrames, was "
                    + backpressure.maxSubscriberBufferFrames());
        if (!List.of("drop-oldest", "lossless").contains(String.valueOf(backpressure.defaultPolicy())))
            p.add("backpressure.defaultPolicy: must be drop-oldest or lossless, was " + backpressure.defaultPolicy());
        if (backpressure.losslessStallMs() < 1 || backpressure.losslessStallMs() > 600_000)
            p.add("backpressure.losslessStallMs: must be in 1..600000 ms, was " + backpressure.losslessStallMs());
        if (security.token() == null) p.add("security.token: must be a string (empty = no token)");
        if (security.protectReads() && !security.tokenRequired())
            p.add("security.protectReads: needs security.token (reads are protected by the token)");
        if (security.allowedOrigins() == null)
            p.add("security.allowedOrigins: must be a list (use [\"*\"] for any origin)");
        if (demo.enabled() && (demo.model() == null || demo.model().isBlank()))
            p.add("demo.model: must name a model when demo.enabled");
        if (demo.schemes() == null || demo.schemes().isEmpty()) p.add("demo.schemes: must list at least one scheme");
        else
            for (String s : demo.schemes()) {
                try {
                    org.neuroflux.dynamics.Scheme.parse(s);
                } catch (IllegalArgumentException e) {
                    p.add("demo.schemes: " + e.getMessage());
                }
            }
        if (metrics.maxSessionTags() < 1)
            p.add("metrics.maxSessionTags: must be >= 1, was " + metrics.maxSessionTags());
        clusterProblems(p);
        return p;
    }

    private void clusterProblems(List<String> p) {
        if (!List.of("standalone", "kafka").contains(String.valueOf(cluster.mode())))
            p.add("cluster.mode: must be standalone or kafka, was " + cluster.mode());
        if (cluster.bootstrapServers() == null || cluster.bootstrapServers().isBlank()) {
            if (cluster.kafka())
                p.add("cluster.bootstrapServers: must list at least one host:port when cluster.mode is kafka");
        } else {
            for (String server : cluster.bootstrapServers().split(",")) {
                String s = server.trim();
                var m = HOST_PORT.matcher(s);
                if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535)
                    p.add("cluster.bootstrapServers: expected comma-separated host:port entries (port 1..65535), was '"
                            + s + "'");
            }
        }
        // the longest topic name is <prefix>.observations; Kafka allows 249 characters
        if (cluster.topicPrefix() == null
                || !KAFKA_NAME.matcher(cluster.topicPrefix()).matches()
                || cluster.topicPrefix().length() > 200)
            p.add("cluster.topicPrefix: must be 1..200 of the characters A-Z a-z 0-9 . _ -, was '"
                    + cluster.topicPrefix() + "'");
        if (cluster.instanceId() == null
                || (!cluster.instanceId().isEmpty()
                        && !KAFKA_NAME.matcher(cluster.instanceId()).matches()))
            p.add("cluster.instanceId: must be empty (host name and port) or of the characters A-Z a-z 0-9 . _ -, was '"
                    + cluster.instanceId() + "'");
        if (cluster.partitions() < 1 || cluster.partitions() > 10_000)
            p.add("cluster.partitions: must be 1..10000, was " + cluster.partitions());
        if (cluster.replicationFactor() < 1 || cluster.replicationFactor() > Short.MAX_VALUE)
            p.add("cluster.replicationFactor: must be 1.." + Short.MAX_VALUE + ", was " + cluster.replicationFactor());
    }

    /**
     * @param host            interface to bind (default 0.0.0.0)
     * @param port            TCP port (default 8080; 0 picks a free port)
     * @param modelsDir       directory of named models (default config/models); clients name models, never paths
     * @param recordingsDir   directory of recorded observation files a replay source may name (default recordings)
     * @param shutdownGraceMs how long shutdown lets subscribers drain their buffers before closing with 1001 (default 2000)
     */
    public record ServerConfig(String host, int port, String modelsDir, String recordingsDir, long shutdownGraceMs) {}

    /**
     * @param iterationMs     default wall-clock duration of one iteration (default 15.625 ms = 1/64 s, real time)
     * @param batchLanes      most real-time generative sessions of one model stepped as one batch (1 = none)
     * @param batchJoinWaitMs longest a new session waits for a batch's next trial before starting a batch of its own
     */
    public record PacingConfig(double iterationMs, int batchLanes, long batchJoinWaitMs) {}

    /**
     * @param maxSessions              concurrent sessions (default 2500)
     * @param maxSubscribersPerSession signal subscribers per session (default 64)
     * @param maxMessageBytes          largest accepted ingest WebSocket message (default 65536)
     * @param maxRequestBytes          largest accepted HTTP request body, e.g. an inline model (default 1 MiB)
     * @param ingestMessagesPerSecond  sustained ingest rate per session (shared by its sockets), burst of one second (default 200)
     * @param ingestQueue              observations accepted but not yet applied, per session (default 64)
     * @param idleTimeoutSeconds       a session with no subscriber and no ingest for this long is deleted; 0 = never (default 600)
     * @param maxIngestSocketsPerSession observation (ingest) sockets open at once per session (default 8)
     * @param modelMaxEpochs           largest T of a model (default 1000); this and the following bound every model read, see {@link ModelLimits}
     * @param modelMaxStates           states per hidden factor (default 4096)
     * @param modelMaxOutcomes         outcomes per modality (default 4096)
     * @param modelMaxPolicies         policies (default 10000)
     * @param modelMaxFactors          hidden factors (default 16)
     * @param modelMaxModalities       outcome modalities (default 16)
     * @param modelMaxElements         numbers in all of a model's arrays together (default 20000000)
     * @param modelMaxIterationsPerTrial T x iterations per epoch of a session (default 1048576)
     */
    public record LimitsConfig(
            int maxSessions,
            int maxSubscribersPerSession,
            int maxMessageBytes,
            int maxRequestBytes,
            double ingestMessagesPerSecond,
            int ingestQueue,
            long idleTimeoutSeconds,
            int maxIngestSocketsPerSession,
            int modelMaxEpochs,
            int modelMaxStates,
            int modelMaxOutcomes,
            int modelMaxPolicies,
            int modelMaxFactors,
            int modelMaxModalities,
            long modelMaxElements,
            long modelMaxIterationsPerTrial) {
        /** The model size limits as the readers take them (call only on a config whose problems() is empty). */
        public ModelLimits modelLimits() {
            return new ModelLimits(
                    modelMaxEpochs,
                    modelMaxStates,
                    modelMaxOutcomes,
                    modelMaxPolicies,
                    modelMaxFactors,
                    modelMaxModalities,
                    modelMaxElements,
                    modelMaxIterationsPerTrial);
        }
    }

    /**
     * @param subscriberBufferFrames    default frames buffered per subscriber (default 256)
     * @param maxSubscriberBufferFrames largest buffer a subscriber may ask for with ?buffer= (default 4096)
     * @param defaultPolicy             drop-oldest (default) or lossless, for real-time sessions; "max" sessions default to lossless
     * @param losslessStallMs           longest a lossless subscriber may hold its session back before it is closed (1008; default 2000)
     */
    public record BackpressureConfig(
            int subscriberBufferFrames, int maxSubscriberBufferFrames, String defaultPolicy, long losslessStallMs) {}

    /**
     * @param token          bearer token required to create or delete sessions and to ingest; empty = none (default)
     * @param allowedOrigins Origin values accepted on WebSocket upgrades; "*" = any (default); requests without Origin always pass
     * @param protectReads   also require the token for the read side: signal sockets, the session list and details, /metrics (default false)
     */
    public record SecurityConfig(String token, List<String> allowedOrigins, boolean protectReads) {
        public boolean tokenRequired() {
            return token != null && !token.isEmpty();
        }

        @Override
        public String toString() {
            return "SecurityConfig[token=" + (tokenRequired() ? "***" : "") + ", allowedOrigins=" + allowedOrigins
                    + ", protectReads=" + protectReads + "]";
        }
    }

    /**
     * @param enabled start one demo session at startup (default true)
     * @param model   its model name (default tmaze)
     * @param schemes its schemes (default both)
     * @param seed    its seed (default 1)
     */
    public record DemoConfig(boolean enabled, String model, List<String> schemes, long seed) {}

    /**
     * @param perSessionTags add a session tag to the per-scheme meters of GET /metrics (default false:
     *                       series per model and scheme only)
     * @param maxSessionTags at most this many sessions tagged at a time; the others share session="other" (default 50)
     */
    public record MetricsConfig(boolean perSessionTags, int maxSessionTags) {}

    /**
     * Scale-out over Apache Kafka (docs/cluster.md).
     *
     * @param mode              standalone (default: no broker, every session on this process) or kafka
     * @param bootstrapServers  comma-separated host:port of the brokers (default localhost:9092; used in kafka mode)
     * @param topicPrefix       prefix of the topics, e.g. neuroflux.sessions (default neuroflux)
     * @param instanceId        this instance's name in the cluster; empty (default) = host name and port
     * @param partitions        partitions of each topic created at start: the most instances that can own sessions (default 12)
     * @param replicationFactor replicas of each topic created at start (default 1; 3 in production)
     */
    public record ClusterConfig(
            String mode,
            String bootstrapServers,
            String topicPrefix,
            String instanceId,
            int partitions,
            int replicationFactor) {
        public boolean kafka() {
            return "kafka".equals(mode);
        }
    }
}
