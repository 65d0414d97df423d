package org.neuroflux.transport;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-session ingest policy: at most {@code maxSockets} observation sockets open at once, and one
 * rate limit shared by them, so that opening more sockets does not multiply the rate. A session's
 * entry lives while it has an open socket.
 */
final class IngestGate {
    private final int maxSockets;
    private final double ratePerSecond;
    private final Map<String, Entry> sessions = new HashMap<>();

    /** One open socket's share: the session's limiter; {@link #release()} when the socket ends. */
    final class Ticket {
        private final String session;
        private final Entry entry;
        private boolean released;

        private Ticket(String session, Entry entry) {
            this.session = session;
            this.entry = entry;
        }

        RateLimiter limiter() {
            return entry.limiter;
        }

        void release() {
            synchronized (IngestGate.this) {
                if (released) return;
                released = true;
                if (--entry.open == 0) sessions.remove(session, entry);
            }
        }
    }

    private static final class Entry {
        final RateLimiter limiter;
        int open;

        Entry(double rate) {
            limiter = new RateLimiter(rate);
        }
    }

    IngestGate(int maxSockets, double ratePerSecond) {
        this.maxSockets = maxSockets;
        this.ratePerSecond = ratePerSecond;
    }

    /** A ticket for one more socket of the session, or null when it has maxSockets open already. */
    synchronized Ticket open(String session) {
        Entry e = sessions.computeIfAbsent(session, k -> new Entry(ratePerSecond));
        if (e.open >= maxSockets) return null;
        e.open++;
        return new Ticket(session, e);
    }

    int maxSockets() {
        return maxSockets;
    }
}
