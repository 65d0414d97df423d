package org.neuroflux.transport;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import org.neuroflux.pipeline.BadRequestException;

/**
 * Query strings decoded defensively: a malformed one ({@code %zz}, a truncated escape, invalid
 * UTF-8) is a 400 with a message, never an exception that reaches the server's error log with the
 * request line (and a token in it).
 */
final class Queries {
    /** At most this many parameters are decoded; more are a 400. */
    static final int MAX_PARAMETERS = 64;
    /** The answer to a query string that cannot be decoded. */
    static final String MALFORMED =
            "query string: malformed percent-encoding; write %XX with two hex digits (a literal % is %25)";

    private Queries() {}

    /** The parameters of a request URI; {@link BadRequestException} (400) when it cannot be decoded. */
    static Map<String, List<String>> parse(String uri) {
        try {
            QueryStringDecoder decoder =
                    new QueryStringDecoder(uri, java.nio.charset.StandardCharsets.UTF_8, true, MAX_PARAMETERS + 1);
            Map<String, List<String>> params = decoder.parameters();
            if (params.size() > MAX_PARAMETERS)
                throw new BadRequestException("query string: more than " + MAX_PARAMETERS + " parameters");
            return params;
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(MALFORMED);
        }
    }

    /** The parameters, or null when the query string cannot be decoded (for callers that only peek). */
    static Map<String, List<String>> parseOrNull(String uri) {
        try {
            return parse(uri);
        } catch (BadRequestException e) {
            return null;
        }
    }
}
