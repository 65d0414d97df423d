package org.neuroflux.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.neuroflux.cli.UserErrors.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code neuroflux record}: subscribes to a session's signals and writes what the subscriber sees
 * (all channels by default, so the true hidden states of a generative source are included) as
 * JSONL (the header, then one frame per line, every scheme in {@code data}, with {@code outcomes}
 * and {@code states} lifted out, replayable by a replay source) or CSV (one row per frame and
 * scheme, one column per channel). Each line is flushed as it is written, so a killed recorder
 * leaves at most a partial last line, which a replay skips with a warning. Exit 0 when --frames or
 * --duration is reached or the session ends, 3 when the connection is lost or the server shuts
 * down first, 2 when the session cannot be subscribed to.
 */
@Command(
        name = "record",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Record a session's signal stream to JSONL or CSV, one flushed line per frame.",
            "Exit status: 0 when --frames or --duration is reached or the session ends; 3 when the connection is lost or the server "
                    + "shuts down first; 2 when the session cannot be subscribed to (refused connection, unknown session, bad token)."
        })
public final class RecordCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = "--session",
            required = true,
            paramLabel = "URL",
            description =
                    "The session: ws://HOST:PORT/ws/sessions/ID/signals[?query] or http://HOST:PORT/api/sessions/ID.")
    String session;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file (.jsonl or .csv).")
    Path out;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "jsonl or csv (default: from the file extension, else jsonl).")
    String format;

    @Option(
            names = "--channels",
            paramLabel = "LIST",
            defaultValue = "all",
            description = "Channels to record (default: ${DEFAULT-VALUE}).")
    String channels;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            description = "Stop after this many seconds (default: until the session closes).")
    Double duration;

    @Option(names = "--frames", paramLabel = "N", description = "Stop after exactly N frames.")
    Long frames;

    @Option(
            names = "--lossless",
            description = "Subscribe losslessly (the session waits for the recorder) instead of drop-oldest.")
    boolean lossless;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token (default: $NEUROFLUX_TOKEN).")
    String token;

    /** Exit status when the stream ended early: the connection was lost or the server shut down. */
    static final int EXIT_STREAM_LOST = 3;

    @Override
    public Integer call() throws Exception {
        String uri = signalsUri(session);
        uri += (uri.contains("?") ? "&" : "?") + "format=json";
        if (!uri.contains("channels=")) uri += "&channels=" + channels;
        if (lossless && !uri.contains("policy=")) uri += "&policy=lossless";
        boolean csv = format != null
                ? format.equalsIgnoreCase("csv")
                : out.toString().toLowerCase(Locale.ROOT).endsWith(".csv");
        if (format != null && !csv && !format.equalsIgnoreCase("jsonl"))
            throw new UserException("--format must be jsonl or csv, was " + format);
        if (frames != null && frames < 1) throw new UserException("--frames must be >= 1, was " + frames);
        if (duration != null && !(duration > 0))
            throw new UserException("--duration must be > 0 seconds, was " + duration);
        String bearer = token != null ? token : System.getenv("NEUROFLUX_TOKEN");
        AtomicLong count = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            List<String> labels = new ArrayList<>();
            List<String> types = new ArrayList<>();
            List<String> schemeNames = new ArrayList<>();
            StreamClient client = new StreamClient(
                    text -> {
                        try {
                            synchronized (w) {
                                if (frames != null && count.get() >= frames) return; // stop at exactly --frames
                                JsonNode node = JSON.readTree(text);
                                if (node.path("type").asText().equals("header")) {
                                    node.get("channels").forEach(c -> {
                                        labels.add(c.get("label").asText());
                                        types.add(c.get("type").asText());
                                    });
                                    node.get("schemes")
                                            .forEach(c -> schemeNames.add(
                                                    c.get("name").asText()));
                                    if (csv)
                                        w.write("session,scheme,seq,trial,epoch,iteration,t,wallUs,dropped,"
                                                + String.join(",", labels) + "\n");
                                    else w.write(text + "\n");
                                } else {
                                    if (csv) w.write(csvRows(node, schemeNames));
                                    else w.write(JSON.writeValueAsString(withTruth((ObjectNode) node, types)) + "\n");
                                    count.incrementAndGet();
                                }
                                // one flushed line at a time: a killed recorder loses at most the line being written
                                w.flush();
                                if (frames != null && count.get() >= frames) done.countDown();
                            }
                        } catch (IOException e) {
                            failure.set(e);
                            done.countDown();
                        }
                    },
                    bin -> {});
            connect(client, uri, bearer);
            client.closed.whenComplete((code, err) -> done.countDown());
            if (duration != null) done.await(Math.round(duration * 1000), TimeUnit.MILLISECONDS);
            else done.await();
            boolean reachedTarget = frames != null && count.get() >= frames;
            String ended = reachedTarget ? null : endOfStream(client); // before our own close
            client.close();
            synchronized (w) {
                w.flush();
            }
            if (failure.get() != null) throw failure.get();
            String summary =
                    "neuroflux record: " + count.get() + " frame" + (count.get() == 1 ? "" : "s") + " to " + out;
            if (ended == null) {
                spec.commandLine().getErr().println(summary);
                spec.commandLine().getErr().flush();
                return 0;
            }
            spec.commandLine().getErr().println(summary + "; " + ended);
            spec.commandLine().getErr().flush();
            return ended.startsWith("the session ended") ? 0 : EXIT_STREAM_LOST;
        }
    }

    /** Opens the socket, turning a refused connection, a timeout or a refused upgrade into a user error. */
    private static void connect(StreamClient client, String uri, String bearer) throws InterruptedException {
        try {
            client.connect(uri, bearer).get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.net.http.WebSocketHandshakeException h) {
                int status = h.getResponse().statusCode();
                Object body = h.getResponse().body();
                String why = body instanceof String b && !b.isBlank() ? ": " + b.strip() : "";
                throw new UserException("the server refused the subscription with HTTP " + status
                        + (status == 404 ? " (no such session: check the id with GET /api/sessions)" : "") + why);
            }
            if (cause instanceof java.net.ConnectException)
                throw new UserException(
                        "cannot connect to " + hostOf(uri) + ": connection refused (is the server running?)");
            throw new UserException("cannot subscribe to " + hostOf(uri) + ": "
                    + (cause == null ? e : cause.getMessage() == null ? cause.toString() : cause.getMessage()));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new UserException("cannot connect to " + hostOf(uri) + ": no answer within 15 s");
        } catch (IllegalArgumentException e) {
            throw new UserException("--session: not a usable URL: " + e.getMessage());
        }
    }

    /** Why the stream ended before --frames or --duration; null if it did not end (the time ran out). */
    private static String endOfStream(StreamClient client) {
        if (!client.closed.isDone()) return null;
        try {
            int code = client.closed.getNow(-1);
            if (code == 1000) return "the session ended (" + client.closeReason + ")";
            if (code == 1001)
                return "the server shut down (1001 " + client.closeReason + "); the recording is complete up to then";
            return "the stream closed with " + code + (client.closeReason.isEmpty() ? "" : " " + client.closeReason);
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return "the connection was lost ("
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()) + ")";
        }
    }

    /** scheme://host:port of a URL, for messages (never the query, which may hold a token). */
    private static String hostOf(String uri) {
        int q = uri.indexOf('/', uri.indexOf("//") + 2);
        return q < 0 ? uri : uri.substring(0, q);
    }

    static String signalsUri(String url) {
        String u = url.trim();
        if (u.startsWith("http://") || u.startsWith("https://")) {
            int at = u.indexOf("/api/sessions/");
            if (at < 0)
                throw new UserException("--session: expected .../api/sessions/ID or a ws:// signals URL, was " + url);
            String base = u.substring(0, at).replaceFirst("^http", "ws");
            String id = u.substring(at + "/api/sessions/".length()).replaceAll("[/?#].*$", "");
            return base + "/ws/sessions/" + id + "/signals";
        }
        if (!u.startsWith("ws://") && !u.startsWith("wss://"))
            throw new UserException("--session must be an http(s):// or ws(s):// URL, was " + url);
        return u;
    }

    /** Outcomes and true states are the world's, the same for every scheme: lifted from the first. */
    private static ObjectNode withTruth(ObjectNode frame, List<String> types) {
        ArrayNode outcomes = frame.putArray("outcomes");
        ArrayNode states = frame.putArray("states");
        JsonNode data = frame.get("data").path(0);
        for (int i = 0; i < types.size() && i < data.size(); i++) {
            if (types.get(i).equals("outcome")) outcomes.add(data.get(i).asInt());
            if (types.get(i).equals("state")) states.add(data.get(i));
        }
        if (outcomes.isEmpty()) frame.remove("outcomes");
        if (states.isEmpty()) frame.remove("states");
        return frame;
    }

    /** One row per scheme of the frame. */
    private static String csvRows(JsonNode f, List<String> schemeNames) {
        StringBuilder sb = new StringBuilder();
        JsonNode all = f.get("data");
        for (int k = 0; k < all.size(); k++) {
            sb.append(f.get("session").asText())
                    .append(',')
                    .append(k < schemeNames.size() ? schemeNames.get(k) : "")
                    .append(',');
            for (String key : new String[] {"seq", "trial", "epoch", "iteration", "t", "wallUs", "dropped"})
                sb.append(f.get(key).asText()).append(',');
            JsonNode data = all.get(k);
            for (int i = 0; i < data.size(); i++) {
                if (i > 0) sb.append(',');
                if (!data.get(i).isNull()) sb.append(data.get(i).asText());
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
