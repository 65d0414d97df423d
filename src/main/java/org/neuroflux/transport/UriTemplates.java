package org.neuroflux.transport;

/**
 * Collapses request paths to route templates for the {@code uri} tag of reactor-netty's HTTP
 * server meters, so the tag has a bounded set of values: session ids become {@code {id}}, and any
 * path that is not one of ours becomes {@code /other} (scanners and typos cannot grow the series).
 */
public final class UriTemplates {
    private UriTemplates() {}

    /** The template of a request path (query string ignored). */
    public static String collapse(String uri) {
        if (uri == null || uri.isEmpty()) return "/other";
        int q = uri.indexOf('?');
        String path = q >= 0 ? uri.substring(0, q) : uri;
        if (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
        switch (path) {
            case "/", "/health", "/metrics", "/api/models", "/api/sessions":
                return path;
            default:
                break;
        }
        String[] parts = path.split("/", -1); // "", "api", "sessions", "{id}" ...
        if (parts.length == 4 && parts[1].equals("api") && parts[2].equals("sessions")) return "/api/sessions/{id}";
        if (parts.length == 5
                && parts[1].equals("ws")
                && parts[2].equals("sessions")
                && (parts[4].equals("signals") || parts[4].equals("observations")))
            return "/ws/sessions/{id}/" + parts[4];
        return "/other";
    }
}
