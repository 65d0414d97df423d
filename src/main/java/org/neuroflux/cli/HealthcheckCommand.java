package org.neuroflux.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code neuroflux healthcheck}: asks a running server's /health and exits 0 when it answers 200.
 * The Docker image's HEALTHCHECK uses it, so the runtime image needs no curl.
 */
@Command(
        name = "healthcheck",
        mixinStandardHelpOptions = true,
        description = "Exit 0 if a running neuroflux server answers GET /health with 200, 1 otherwise.")
public final class HealthcheckCommand implements Callable<Integer> {
    @Option(
            names = "--url",
            paramLabel = "URL",
            defaultValue = "http://127.0.0.1:8080/health",
            description = "Health endpoint (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "3",
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        try {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(timeoutSeconds))
                    .build();
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(url)
                            .timeout(Duration.ofSeconds(timeoutSeconds))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(response.statusCode() + " " + response.body());
            return response.statusCode() == 200 ? 0 : 1;
        } catch (java.io.IOException e) {
            System.out.println("unreachable: " + url + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
