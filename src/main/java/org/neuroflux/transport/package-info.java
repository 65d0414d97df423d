/**
 * The network edge (reactor-netty): the HTTP session API, the signals and ingest WebSockets, frame
 * and observation codecs, health, metrics scrape, the web view's files and the token check. It may
 * depend on {@code pipeline}, {@code config} and {@code metrics} types among the project's packages,
 * plus Netty, Reactor and Jackson, so that the session model can change without touching the wire.
 */
package org.neuroflux.transport;
