package org.neuroflux.cluster;

/** The background threads of this package: each reads or writes Kafka in a loop of its own. */
final class Workers {
    /** How long a closing component waits for its thread to leave its loop. */
    private static final long STOP_MILLIS = 5000;

    private Workers() {}

    /** Waits for a worker that was told to stop; an interrupt of the caller is kept, not swallowed. */
    static void awaitStop(Thread worker) {
        awaitStop(worker, STOP_MILLIS);
    }

    /** As {@link #awaitStop(Thread)}, waiting at most {@code millis}. */
    static void awaitStop(Thread worker, long millis) {
        try {
            worker.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
