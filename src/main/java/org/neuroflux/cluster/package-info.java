/**
 * Scale-out over Apache Kafka (docs/cluster.md): the topics and their creation, the broker probe
 * that /health reports, the Kafka client settings, and the record formats of session definitions,
 * observations and signal frames, all keyed by session id. Free of the streaming core: it sees only
 * config, the JDK, Jackson, SLF4J and kafka-clients: it may depend on nothing else.
 */
package org.neuroflux.cluster;
