package org.neuroflux.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One broker for the test classes that need a plain one: starting a KRaft node costs tens of seconds
 * on a shared machine. Started on first use; stopped when the test JVM exits.
 */
final class SharedBroker {
    private static KafkaBroker broker;

    private SharedBroker() {}

    static synchronized KafkaBroker get() {
        if (broker == null || !broker.isAlive()) {
            try {
                Path dir = Files.createTempDirectory("neuroflux-kafka-");
                broker = KafkaBroker.start(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            KafkaBroker started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-kafka-broker-stop"));
        }
        return broker;
    }
}
