/**
 * Scale-out over Apache Kafka (docs/cluster.md): the topics and their creation, the broker probe
 * that /health reports, the Kafka client settings, the record formats of session definitions,
 * observations and signal frames (all keyed by session id), and {@link org.neuroflux.cluster.ClusterNode},
 * which runs the sessions of this instance's partitions and serves the others through Kafka. It
 * sees config, pipeline (sessions, frames, requests), transport's {@code ClusterRouting} hook, the
 * JDK, Jackson, Reactor, SLF4J and kafka-clients; nothing depends on it but cli, which wires it in.
 */
package org.neuroflux.cluster;
