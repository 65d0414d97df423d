package org.neuroflux.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A minimal WebSocket subscriber for the record and loadtest commands: whole messages to callbacks, one at a time. */
final class StreamClient implements WebSocket.Listener {
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private final Consumer<String> onText;
    private final Consumer<ByteBuffer> onBinary;
    private final StringBuilder text = new StringBuilder();
    private ByteBuffer binary;
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    volatile String closeReason = "";
    WebSocket socket;

    StreamClient(Consumer<String> onText, Consumer<ByteBuffer> onBinary) {
        this.onText = onText;
        this.onBinary = onBinary;
    }

    CompletableFuture<WebSocket> connect(String uri, String token) {
        WebSocket.Builder b = HTTP.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(60)); // an overloaded server upgrades slowly
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b.buildAsync(URI.create(uri), this).thenApply(ws -> socket = ws);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (last && text.length() == 0) onText.accept(data.toString());
        else {
            text.append(data);
            if (last) {
                onText.accept(text.toString());
                text.setLength(0);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        if (last && binary == null) onBinary.accept(data);
        else {
            ByteBuffer joined = ByteBuffer.allocate((binary == null ? 0 : binary.remaining()) + data.remaining());
            if (binary != null) joined.put(binary);
            joined.put(data).flip();
            binary = joined;
            if (last) {
                onBinary.accept(binary);
                binary = null;
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason == null ? "" : reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    void close() {
        if (socket != null) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
            socket.abort();
        }
    }
}
