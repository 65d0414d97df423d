/**
 * HTTP and WebSocket on reactor-netty: the session API, the signals socket, the observations socket,
 * the web view's files, and the stream's encoding (docs/protocol.md). Depends only on
 * {@code pipeline}, {@code config} and {@code metrics} among neuroflux's packages,
 * plus Netty, Reactor and Jackson, so that the session model can change without touching the wire.
 */
package org.neuroflux.transport;
