package org.neuroflux.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's hostile side ({@code loadtest --hostile}): while the load runs, one thread keeps sending
 * the malformed inputs of the hardening work (issue 11) and checks that each gets its clear answer:
 * malformed ingest messages an error reply, bad requests a 4xx, oversized models a 413, abrupt
 * disconnects nothing at all. Anything else (an ack, a 5xx, no answer) is counted as unexpected.
 */
final class HostileTraffic implements Runnable {
    /** Ingest messages for a T-maze client session, each of which must be refused. */
    static final List<String> INGEST = List.of(
            "{\"outcomes\":[18446744073709551618,1]}",
            "{\"outcomes\":[3,1]}garbage",
            "{\"outcomes\":[3,1]}{\"outcomes\":[1,1]}",
            "{\"outcomes\":[2.0000000000000001,1]}",
            "{\"outcomes\":[1e400,1]}",
            "{\"outcomes\":[1,1],\"extra\":true}",
            "{\"id\":{\"a\":{\"b\":[1,2,3]}},\"outcomes\":[1,1]}",
            "{\"outcomes\":[1,1],\"outcomes\":[2,1]}",
            "{\"outcomes\":[0,1]}",
            "{\"outcomes\":[\"nowhere\",1]}",
            "{\"probabilities\":[[0,0,0,0,0],[1,0,0]]}",
            "{\"outcomes\":[NaN,1]}",
            "[1,2]",
            "{}",
            "{\"outcomes\":[1,1]");
    /** Session requests (body, expected status). */
    static final Map<String, Integer> REQUESTS = Map.of(
            "{\"model\":\"tmaze\"} garbage", 400,
            "{\"model\":\"tmaze\",\"source\":{\"type\":\"generative\",\"speed\":2}}", 400,
            "{\"model\":\"tmaze\",\"seed\":18446744073709551618}", 400,
            "{\"model\":{\"A\":[[[0.9,0.1],[0.1,0.9]]],\"B\":[[[[1,1],[0,0]],[[0,0],[1,1]]]],\"U\":[1,2],\"T\":1000000}}",
                    413,
            "{\"model\":{\"A\":[[[0.9,0.1],[0.1,0.9]]],\"B\":[[[1,0],[0,1]]],\"V\":[1,1,1],\"T\":4,\"s\":1,\"o\":[1,1,1,7]}}",
                    400);

    final LongAdder tried = new LongAdder();
    final LongAdder answered = new LongAdder();
    final Map<String, LongAdder> unexpected = new ConcurrentHashMap<>();
    private final String url;
    private final String clientSession;
    private final String signalsSession;
    private final String bearer;
    private volatile boolean running = true;

    HostileTraffic(String url, String clientSession, String signalsSession, String bearer) {
        this.url = url;
        this.clientSession = clientSession;
        this.signalsSession = signalsSession;
        this.bearer = bearer;
    }

    void stop() {
        running = false;
    }

    private void unexpected(String what) {
        unexpected.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    @Override
    public void run() {
        URI base = URI.create(url);
        String ws = url.replaceFirst("^http", "ws");
        while (running) {
            try {
                ingest(ws);
                requests();
                for (String query : List.of("?%zz=1", "?channels=%zz", "?channels=rate&%")) {
                    rawStatus(base, "GET /ws/sessions/" + signalsSession + "/signals" + query, 400);
                }
                rawStatus(base, "GET /ws/sessions/nosuch/signals", 404);
                churn(base);
            } catch (Exception e) {
                Throwable cause =
                        e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                String why = cause instanceof java.net.http.WebSocketHandshakeException h
                        ? "HTTP " + h.getResponse().statusCode()
                        : cause.getClass().getSimpleName();
                unexpected("client failure: " + why);
            }
        }
        if (ingestSocket != null) ingestSocket.close();
    }

    private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private StreamClient ingestSocket;

    /** One observations socket for the whole soak (reopened if the server closes it): reconnects are the churn's job. */
    private void ingest(String ws) throws Exception {
        if (ingestSocket == null || ingestSocket.closed.isDone()) {
            if (ingestSocket != null) unexpected("ingest socket closed by the server");
            ingestSocket = new StreamClient(replies::add, b -> {});
            ingestSocket
                    .connect(ws + "/ws/sessions/" + clientSession + "/observations", bearer)
                    .get(15, TimeUnit.SECONDS);
        }
        for (String m : INGEST) {
            tried.increment();
            ingestSocket.socket.sendText(m, true).get(5, TimeUnit.SECONDS);
            String reply = replies.poll(10, TimeUnit.SECONDS);
            if (reply == null) unexpected("ingest: no reply");
            else if (reply.contains("rate limit exceeded"))
                answered.increment(); // the limit answering is an answer too
            else if (reply.startsWith("{\"type\":\"error\"")) answered.increment();
            else unexpected("ingest: accepted a malformed message");
        }
    }

    private void requests() throws Exception {
        for (Map.Entry<String, Integer> r : REQUESTS.entrySet()) {
            tried.increment();
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + "/api/sessions"))
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(r.getKey()));
            if (bearer != null) req.header("Authorization", "Bearer " + bearer);
            int status = StreamClient.HTTP
                    .send(req.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status == r.getValue()) answered.increment();
            else unexpected("POST /api/sessions: " + status + " instead of " + r.getValue());
        }
    }

    /** Sends a request line on a plain socket (java.net.http refuses malformed URIs) and checks the status. */
    private void rawStatus(URI base, String requestLine, int expected) throws IOException {
        tried.increment();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write((requestLine + " HTTP/1.1\r\nHost: " + base.getHost()
                                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String status = statusLine(s.getInputStream());
            if (status.startsWith("HTTP/1.1 " + expected)) answered.increment();
            else unexpected(requestLine.replaceAll("/sessions/[^/]+/", "/sessions/ID/") + ": " + status);
        }
    }

    /** Subscribes and resets the connection without a close handshake, 20 times. */
    private void churn(URI base) throws IOException {
        for (int i = 0; i < 20; i++) {
            tried.increment();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
                s.setSoTimeout(10_000);
                s.getOutputStream()
                        .write(("GET /ws/sessions/" + signalsSession + "/signals?channels=rate HTTP/1.1\r\nHost: "
                                        + base.getHost()
                                        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                        + "Sec-WebSocket-Version: 13\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                if (statusLine(s.getInputStream()).startsWith("HTTP/1.1 101")) answered.increment();
                else unexpected("subscribe for a reset: not upgraded");
                s.setSoLinger(true, 0); // close = TCP reset
            }
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) line.write(c);
        return line.toString(StandardCharsets.US_ASCII);
    }
}
