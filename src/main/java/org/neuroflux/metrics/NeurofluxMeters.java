package org.neuroflux.metrics;

import java.util.List;

/**
 * Every meter neuroflux registers: name (Micrometer dot case), type, base unit, tag keys and
 * meaning. The README's metrics table and the Grafana dashboards are checked against this list.
 *
 * <p>Signed quantities (free energy, expected free energy, dopamine) are summaries of magnitudes
 * split by a {@code sign} tag ({@code positive}, {@code negative}): Micrometer ignores negative
 * amounts, and a Prometheus {@code _sum} must not decrease for {@code rate()} to hold. The mean is
 * {@code (rate(x_sum{sign="positive"}) - rate(x_sum{sign="negative"})) / rate(x_count)}.
 */
public enum NeurofluxMeters {
    INFORMATION_LENGTH(
            "neuroflux.information.length",
            Type.COUNTER,
            null,
            "Information length travelled by the policy-averaged beliefs of one factor: the sum of exact Fisher-Rao arcs "
                    + "between consecutive iterates, over all time points",
            "scheme",
            "model",
            "factor"),
    INFORMATION_LENGTH_WHOLE_PATH(
            "neuroflux.information.length.whole.path",
            Type.COUNTER,
            null,
            "The same over the whole path: each epoch's first step (from its reset belief to its first iterate) counted too",
            "scheme",
            "model",
            "factor"),
    EPOCH_INFORMATION_LENGTH(
            "neuroflux.epoch.information.length",
            Type.HISTOGRAM,
            null,
            "Information length of one epoch: Fisher-Rao arcs of the beliefs about the current time point, summed over factors",
            "scheme",
            "model"),
    EPOCH_EFFICIENCY(
            "neuroflux.epoch.efficiency",
            Type.HISTOGRAM,
            null,
            "Efficiency of one epoch, d_FR / L: Fisher-Rao distance from the first to the last iterate over the length "
                    + "travelled (current time point, summed over factors), in (0, 1]; epochs that did not move are not recorded",
            "scheme",
            "model"),
    TRIAL_SCORE(
            "neuroflux.trial.information.length",
            Type.SUMMARY,
            null,
            "The authors' per-trial score (cat_inf_length: chords pooled over time points and epochs, summed over factors)",
            "scheme",
            "model"),
    TRIAL_SCORE_WHOLE_PATH(
            "neuroflux.trial.information.length.whole.path",
            Type.SUMMARY,
            null,
            "The authors' per-trial score over the whole path (cat_inf_length with each epoch's start prepended to its iterates)",
            "scheme",
            "model"),
    FREE_ENERGY(
            "neuroflux.free.energy",
            Type.SUMMARY,
            "nats",
            "Variational free energy of each epoch, -H (SPM's H is the negative free energy), by sign of the value",
            "scheme",
            "model",
            "sign"),
    EXPECTED_FREE_ENERGY(
            "neuroflux.expected.free.energy",
            Type.SUMMARY,
            "nats",
            "Expected free energy of the most probable policy at the end of each epoch, -G (SPM's G), by sign of the value",
            "scheme",
            "model",
            "sign"),
    PRECISION(
            "neuroflux.precision",
            Type.SUMMARY,
            null,
            "Expected precision of policies (gamma, SPM's wn), every iteration",
            "scheme",
            "model"),
    DOPAMINE(
            "neuroflux.dopamine",
            Type.SUMMARY,
            null,
            "Phasic dopamine-like signal 8 d(gamma)/d(iteration) + gamma / 8 (SPM's dn), every iteration, by sign of the value",
            "scheme",
            "model",
            "sign"),
    SESSIONS_ACTIVE("neuroflux.sessions.active", Type.GAUGE, null, "Sessions running now"),
    SUBSCRIBERS("neuroflux.subscribers", Type.GAUGE, null, "Signal subscribers connected now"),
    FRAMES_EMITTED(
            "neuroflux.frames.emitted",
            Type.COUNTER,
            null,
            "Scheme-iterations produced by sessions (a frame carries one per scheme)",
            "scheme",
            "model"),
    FRAMES_DROPPED(
            "neuroflux.frames.dropped",
            Type.COUNTER,
            null,
            "Frames a subscriber did not receive, by reason (buffer-full: its drop-oldest buffer overflowed; "
                    + "closed: still buffered when it went away)",
            "reason"),
    SUBSCRIBERS_STALLED(
            "neuroflux.subscribers.stalled",
            Type.COUNTER,
            null,
            "Lossless subscribers closed (1008) for holding their session back longer than backpressure.losslessStallMs"),
    OBSERVATIONS_RECEIVED(
            "neuroflux.observations.received",
            Type.COUNTER,
            null,
            "Observations accepted from clients on the observations socket",
            "model"),
    OBSERVATIONS_REJECTED(
            "neuroflux.observations.rejected",
            Type.COUNTER,
            null,
            "Observation messages refused, by reason (malformed, shape, range, not-finite, too-large, rate-limit, queue-full, closing, unavailable)",
            "reason"),
    BELIEF_UPDATE(
            "neuroflux.belief.update",
            Type.TIMER,
            "seconds",
            "Compute time per belief-update iteration (an epoch's solver time divided by its iterations)",
            "scheme",
            "model"),
    PACING_LAG(
            "neuroflux.pacing.lag",
            Type.TIMER,
            "seconds",
            "How late real-time ticks fire compared with their schedule (one sample per batch of sessions stepped)"),
    INGEST_LATENCY(
            "neuroflux.ingest.latency",
            Type.TIMER,
            "seconds",
            "From an observation's arrival to the emission of the first frame computed from it"),
    CLUSTER_SESSIONS_OWNED(
            "neuroflux.cluster.sessions.owned",
            Type.GAUGE,
            null,
            "Sessions this instance runs for the cluster (cluster mode kafka; 0 in standalone mode)"),
    CLUSTER_REBALANCES(
            "neuroflux.cluster.rebalances",
            Type.COUNTER,
            null,
            "Changes of this instance's partitions in the owners' group, by change (assigned, revoked, lost); "
                    + "0 in standalone mode",
            "change"),
    CLUSTER_STATE_COMMIT(
            "neuroflux.cluster.state.commit",
            Type.TIMER,
            "seconds",
            "Duration of the owner's transactions of frames and states, from the first record to the commit; "
                    + "none in standalone mode"),
    CLUSTER_CONSUMER_LAG(
            "neuroflux.cluster.consumer.lag",
            Type.GAUGE,
            null,
            "Observations in this instance's partitions not yet read by its owners' group member; 0 in standalone mode"),
    CLUSTER_TRANSACTIONS_ABORTED(
            "neuroflux.cluster.transactions.aborted",
            Type.COUNTER,
            null,
            "Owner transactions aborted (their frames and states never became visible; their sessions announce the gap); "
                    + "0 in standalone mode");

    /** Meter kinds, as Micrometer registers them. */
    public enum Type {
        COUNTER("counter"),
        GAUGE("gauge"),
        SUMMARY("summary"),
        HISTOGRAM("histogram"),
        TIMER("timer (histogram)");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        /** How the README names the kind. */
        public String label() {
            return label;
        }
    }

    private final String meterName;
    private final Type type;
    private final String baseUnit;
    private final String description;
    private final List<String> tagKeys;

    NeurofluxMeters(String meterName, Type type, String baseUnit, String description, String... tagKeys) {
        this.meterName = meterName;
        this.type = type;
        this.baseUnit = baseUnit;
        this.description = description;
        this.tagKeys = List.of(tagKeys);
    }

    public String meterName() {
        return meterName;
    }

    public Type type() {
        return type;
    }

    /** The base unit, or null for dimensionless meters (counts, nats per path, ratios). */
    public String baseUnit() {
        return baseUnit;
    }

    public String description() {
        return description;
    }

    public List<String> tagKeys() {
        return tagKeys;
    }

    /**
     * The series name Prometheus shows: dots become underscores, the base unit is appended, and
     * counters end in _total (summaries, histograms and timers add the suffixes of {@link #prometheusSeries()}).
     */
    public String prometheusName() {
        String name = meterName.replace('.', '_');
        if (baseUnit != null) name += "_" + baseUnit;
        return type == Type.COUNTER ? name + "_total" : name;
    }

    /** Every series name this meter shows in a Prometheus scrape. */
    public List<String> prometheusSeries() {
        String n = prometheusName();
        return switch (type) {
            case COUNTER, GAUGE -> List.of(n);
            case SUMMARY -> List.of(n + "_count", n + "_sum", n + "_max");
            case HISTOGRAM, TIMER -> List.of(n + "_bucket", n + "_count", n + "_sum", n + "_max");
        };
    }

    /** The README's metrics table, generated from the catalogue (a test keeps the README equal to it). */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| meter | Prometheus series | type | unit | tags | meaning |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (NeurofluxMeters m : values()) {
            String n = m.prometheusName();
            String series = switch (m.type) {
                case COUNTER, GAUGE -> n;
                case SUMMARY -> n + "_{count,sum,max}";
                case HISTOGRAM, TIMER -> n + "_{bucket,count,sum,max}";
            };
            sb.append("| `")
                    .append(m.meterName)
                    .append("` | `")
                    .append(series)
                    .append("` | ")
                    .append(m.type.label())
                    .append(" | ")
                    .append(m.baseUnit == null ? "-" : m.baseUnit)
                    .append(" | ")
                    .append(m.tagKeys.isEmpty() ? "-" : String.join(", ", m.tagKeys))
                    .append(" | ")
                    .append(m.description.replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }
}
