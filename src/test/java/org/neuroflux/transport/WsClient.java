package org.neuroflux.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A java.net.http WebSocket client for tests: collects text and binary messages; can stop reading to act slow. */
final class WsClient implements WebSocket.Listener {
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(15))
            .build();

    final LinkedBlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    volatile boolean slow;
    private final StringBuilder text = new StringBuilder();
    private ByteBuffer binary = ByteBuffer.allocate(0);
    WebSocket socket;

    private WsClient(boolean slow) {
        this.slow = slow;
    }

    static WsClient connect(String uri, String... headers) {
        return connect(uri, false, headers);
    }

    static WsClient connect(String uri, boolean slow, String... headers) {
        WsClient c = new WsClient(slow);
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(15));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        c.socket =
                b.buildAsync(URI.create(uri), c).orTimeout(20, TimeUnit.SECONDS).join();
        return c;
    }

    /** The HTTP status of a refused upgrade. */
    static int refusal(String uri, String... headers) {
        try {
            connect(uri, headers).socket.abort();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h)
                return h.getResponse().statusCode();
            throw e;
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.add(text.toString());
            text.setLength(0);
        }
        if (!slow || messages.isEmpty()) webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
        joined.put(binary).put(data).flip();
        binary = joined;
        if (last) {
            messages.add(binary);
            binary = ByteBuffer.allocate(0);
        }
        if (!slow) webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    Object next() throws InterruptedException {
        Object m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) throw new AssertionError("no message within 10 s");
        return m;
    }

    /** A slow client starts reading again, everything from now on. */
    void resume() {
        slow = false;
        socket.request(1);
    }

    String nextText() throws InterruptedException {
        return (String) next();
    }

    void send(String message) {
        socket.sendText(message, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    void close() {
        if (!socket.isOutputClosed())
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        socket.abort();
    }
}
