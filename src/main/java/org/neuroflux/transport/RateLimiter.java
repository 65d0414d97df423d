package org.neuroflux.transport;

/**
 * Token bucket for one session's ingest: {@code rate} messages per second, bursts up to one second's
 * worth. Shared by the session's observation sockets (whose inbound run on different event loops),
 * so synchronized: a few nanoseconds per message.
 */
final class RateLimiter {
    private final double rate;
    private double tokens;
    private long last = System.nanoTime();

    RateLimiter(double ratePerSecond) {
        this.rate = ratePerSecond;
        this.tokens = Math.max(1, ratePerSecond);
    }

    synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(Math.max(1, rate), tokens + (now - last) * 1e-9 * rate);
        last = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
