package org.neuroflux.transport;

import java.util.concurrent.atomic.AtomicInteger;

/** Open WebSocket connections (reported by /health; shutdown waits for them to close). */
final class SocketCount {
    private final AtomicInteger open = new AtomicInteger();

    void opened() {
        open.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }

    int get() {
        return open.get();
    }
}
