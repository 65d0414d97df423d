package org.neuroflux.metrics;

import java.util.List;

/**
 * Every meter neuroflux registers: name (Micrometer dot case), type, base unit, tag keys and
 * meaning. The README's metrics table and the Grafana dashboards are checked against this list.
 */
public enum NeurofluxMeters {
    INFORMATION_LENGTH("neuroflux.information.length", Type.COUNTER, null,
            "Information length travelled by the policy-averaged beliefs: the sum of exact Fisher-Rao arcs between consecutive iterates",
            "scheme", "model", "factor"),
    EPOCH_INFORMATION_LENGTH("neuroflux.epoch.information.length", Type.HISTOGRAM, null,
            "Information length of one epoch (all factors, current time point)", "scheme", "model"),
    EPOCH_EFFICIENCY("neuroflux.epoch.efficiency", Type.HISTOGRAM, null,
            "Efficiency of one epoch: Fisher-Rao distance from start to end over the length travelled, in (0, 1]", "scheme", "model"),
    TRIAL_SCORE("neuroflux.trial.information.length", Type.SUMMARY, null,
            "The authors' per-trial score (cat_inf_length: chords pooled over time points and epochs)", "scheme", "model"),
    FREE_ENERGY("neuroflux.free.energy", Type.SUMMARY, "nats",
            "(Negative) variational free energy H of each epoch (SPM's H)", "scheme", "model"),
    EXPECTED_FREE_ENERGY("neuroflux.expected.free.energy", Type.SUMMARY, "nats",
            "(Negative) expected free energy of the most probable policy at the end of each epoch (SPM's G)", "scheme", "model"),
    PRECISION("neuroflux.precision", Type.SUMMARY, null,
            "Expected precision of policies (gamma, SPM's wn) per iteration, recorded at the end of each epoch", "scheme", "model"),
    DOPAMINE("neuroflux.dopamine", Type.SUMMARY, null,
            "Phasic dopamine-like signal 8 * d(gamma)/dt + gamma / 8 per iteration", "scheme", "model"),
    SESSIONS_ACTIVE("neuroflux.sessions.active", Type.GAUGE, null, "Sessions running now"),
    SUBSCRIBERS("neuroflux.subscribers", Type.GAUGE, null, "Signal subscribers connected now"),
    FRAMES_EMITTED("neuroflux.frames.emitted", Type.COUNTER, null, "Frames produced by sessions (one per iteration and scheme)",
            "scheme", "model"),
    FRAMES_DROPPED("neuroflux.frames.dropped", Type.COUNTER, null,
            "Frames a subscriber did not receive, by reason (buffer-full: drop-oldest overflow; closed: subscriber gone)", "reason"),
    OBSERVATIONS_RECEIVED("neuroflux.observations.received", Type.COUNTER, null, "Observations accepted from clients and replays", "model"),
    OBSERVATIONS_REJECTED("neuroflux.observations.rejected", Type.COUNTER, null,
            "Observations refused, by reason (malformed, shape, range, not-finite, too-large, rate-limit, ...)", "reason"),
    BELIEF_UPDATE("neuroflux.belief.update", Type.TIMER, "seconds",
            "Compute time per belief-update iteration (an epoch's time divided by its iterations)", "scheme", "model"),
    PACING_LAG("neuroflux.pacing.lag", Type.TIMER, "seconds", "How late real-time ticks fire compared with their schedule"),
    INGEST_LATENCY("neuroflux.ingest.latency", Type.TIMER, "seconds",
            "From an observation's arrival to the first frame computed from it");

    /** Meter kinds, as Micrometer registers them. */
    public enum Type { COUNTER, GAUGE, SUMMARY, HISTOGRAM, TIMER }

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

    public String meterName() { return meterName; }

    public Type type() { return type; }

    public String baseUnit() { return baseUnit; }

    public String description() { return description; }

    public List<String> tagKeys() { return tagKeys; }

    /**
     * The series name Prometheus shows: dots become underscores, the base unit is appended, and
     * counters end in _total (histogram and timer series add _bucket/_count/_sum).
     */
    public String prometheusName() {
        String name = meterName.replace('.', '_');
        if (baseUnit != null) name += "_" + baseUnit;
        return type == Type.COUNTER ? name + "_total" : name;
    }
}
