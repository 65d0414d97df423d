package org.neuroflux.cluster;

import java.util.Objects;

/**
 * A session as written to the sessions topic by the instance that accepted its create: the request
 * as accepted, plus what that instance decided, so the owner (possibly another instance) builds the
 * very same session. A replay source that names a recording must be stored with its observations
 * inline: recordings live on the accepting instance's disk only.
 *
 * @param id              the session id (also the record key)
 * @param requestJson     the create request's body, a JSON object (docs/protocol.md)
 * @param seed            the seed of the session's random streams, resolved when the request gave none
 * @param createdAtMillis when the create was accepted (Unix ms)
 * @param createdBy       the accepting instance's id
 */
public record SessionDefinition(String id, String requestJson, long seed, long createdAtMillis, String createdBy) {
    public SessionDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(requestJson, "requestJson");
        Objects.requireNonNull(createdBy, "createdBy");
        if (id.isEmpty()) throw new IllegalArgumentException("id must not be empty");
    }
}
