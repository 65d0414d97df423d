package org.neuroflux.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster's meters (docs/cluster.md, "Health"): sessions owned, rebalances, state-commit
 * latency, consumer lag and aborted transactions. Registered in every mode, so a standalone
 * instance shows them at 0 and dashboards have series on every instance; only cluster mode kafka
 * moves them. Thread-safe.
 */
public final class ClusterMetrics {
    /** The changes of an instance's partitions that {@link #rebalance} counts. */
    public static final List<String> CHANGES = List.of("assigned", "revoked", "lost");

    private final AtomicLong sessionsOwned = new AtomicLong();
    private final AtomicLong consumerLag = new AtomicLong();
    private final Map<String, Counter> rebalances;
    private final Timer stateCommit;
    private final Counter aborted;

    ClusterMetrics(MeterRegistry registry) {
        Gauge.builder(NeurofluxMeters.CLUSTER_SESSIONS_OWNED.meterName(), sessionsOwned, AtomicLong::get)
                .description(NeurofluxMeters.CLUSTER_SESSIONS_OWNED.description())
                .register(registry);
        Gauge.builder(NeurofluxMeters.CLUSTER_CONSUMER_LAG.meterName(), consumerLag, AtomicLong::get)
                .description(NeurofluxMeters.CLUSTER_CONSUMER_LAG.description())
                .register(registry);
        java.util.HashMap<String, Counter> r = new java.util.HashMap<>();
        for (String change : CHANGES)
            r.put(
                    change,
                    Counter.builder(NeurofluxMeters.CLUSTER_REBALANCES.meterName())
                            .description(NeurofluxMeters.CLUSTER_REBALANCES.description())
                            .tag("change", change)
                            .register(registry));
        rebalances = Map.copyOf(r);
        stateCommit = Timer.builder(NeurofluxMeters.CLUSTER_STATE_COMMIT.meterName())
                .description(NeurofluxMeters.CLUSTER_STATE_COMMIT.description())
                .publishPercentileHistogram()
                .register(registry);
        aborted = Counter.builder(NeurofluxMeters.CLUSTER_TRANSACTIONS_ABORTED.meterName())
                .description(NeurofluxMeters.CLUSTER_TRANSACTIONS_ABORTED.description())
                .register(registry);
    }

    public void sessionsOwned(long n) {
        sessionsOwned.set(n);
    }

    public void consumerLag(long observations) {
        consumerLag.set(Math.max(0, observations));
    }

    /** This instance's partitions changed: {@code change} is one of {@link #CHANGES}. */
    public void rebalance(String change) {
        Counter c = rebalances.get(change);
        if (c == null) throw new IllegalArgumentException("change must be one of " + CHANGES + ", was " + change);
        c.increment();
    }

    public void stateCommitNanos(long nanos) {
        stateCommit.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    public void transactionAborted() {
        aborted.increment();
    }
}
