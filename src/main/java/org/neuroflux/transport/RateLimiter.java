package org.neuroflux.transport;

/** Token bucket for one ingest connection: {@code rate} messages per second, bursts up to one second's worth. Not thread-safe (one per connection, whose inbound is serialised). */
final class RateLimiter {
    private final double rate;
    private double tokens;
    private long last = System.nanoTime();

    RateLimiter(double ratePerSecond) {
        this.rate = ratePerSecond;
        this.tokens = Math.max(1, ratePerSecond);
    }

    boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(Math.max(1, rate), tokens + (now - last) * 1e-9 * rate);
        last = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
