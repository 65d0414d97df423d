package org.neuroflux.metrics;

/**
 * How much the meters tell.
 *
 * @param perSessionTags add a "session" tag to the per-scheme meters (off by default: unbounded cardinality)
 * @param maxSessionTags cap on distinct session tag values when switched on; further sessions are not tagged
 */
public record MetricsSettings(boolean perSessionTags, int maxSessionTags) {
    public static final MetricsSettings DEFAULTS = new MetricsSettings(false, 50);

    public MetricsSettings {
        if (maxSessionTags < 1)
            throw new IllegalArgumentException("metrics.maxSessionTags must be >= 1, was " + maxSessionTags);
    }
}
