package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * 1,000 connect/disconnect cycles against a real server on 127.0.0.1: polite closes, TCP resets,
 * resets in the middle of a fragmented message, refused upgrades. Afterwards the server's open
 * sockets, the process's file descriptors and the heap after GC are back at their baseline, and
 * nothing was logged at ERROR (a client's reset is not the server's error).
 */
class ConnectionChurnTest {
    private static final int CYCLES = 1000;

    @Test
    void thousandCyclesLeaveNoSocketsFileDescriptorsHeapOrErrorLogsBehind() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        try (LoopbackServer server = LoopbackServer.start()) {
            int port = server.server.port();
            String generative = server.createSession(
                    "{\"model\":\"tmaze\",\"schemes\":[\"active-inference\"],\"pacing\":{\"iterationMs\":2}}");
            String client = server.createSession(
                    "{\"model\":\"tmaze\",\"source\":{\"type\":\"client\"},\"pacing\":{\"iterationMs\":\"max\"}}");
            String signals = "/ws/sessions/" + generative + "/signals?channels=rate";
            String observations = "/ws/sessions/" + client + "/observations";
            cycles(port, signals, observations, 50); // warm up: classes, pools, buffers
            settle(server);
            long fdBefore = openFileDescriptors();
            long heapBefore = heapAfterGc();
            cycles(port, signals, observations, CYCLES);
            settle(server);
            long fdAfter = openFileDescriptors();
            long heapAfter = heapAfterGc();
            System.out.printf(
                    "churn: %d cycles; fds %d -> %d; heap after GC %.1f -> %.1f MB%n",
                    CYCLES, fdBefore, fdAfter, heapBefore / 1e6, heapAfter / 1e6);
            assertTrue(fdAfter <= fdBefore + 5, "file descriptors: " + fdBefore + " before, " + fdAfter + " after");
            assertTrue(
                    heapAfter < heapBefore + 16L * 1024 * 1024,
                    "heap after GC: " + heapBefore + " before, " + heapAfter + " after");
            // the server still serves
            server.createSession("{\"model\":\"tmaze\"}");
        } finally {
            root.detachAppender(logs);
        }
        for (ILoggingEvent e : logs.list) {
            assertFalse(
                    e.getLevel().isGreaterOrEqual(Level.ERROR),
                    e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage());
            assertTrue(
                    e.getThrowableProxy() == null
                            || !e.getLevel().isGreaterOrEqual(Level.WARN)
                            || e.getLoggerName().startsWith("io.micrometer"),
                    "stack trace logged: " + e.getFormattedMessage());
        }
    }

    private static void cycles(int port, String signals, String observations, int n) throws Exception {
        byte[] part = "{\"outcomes\":[".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < n; i++) {
            switch (i % 5) {
                case 0 -> { // subscribe, read the header, close politely
                    try (RawWebSocket ws = RawWebSocket.open(port, signals)) {
                        ws.read();
                        ws.send(true, 0, 8, new byte[] {0x03, (byte) 0xe8});
                    }
                }
                case 1 -> { // subscribe, then reset the connection
                    RawWebSocket ws = RawWebSocket.open(port, signals);
                    ws.read();
                    ws.reset();
                }
                case 2 -> { // ingest one message, then reset
                    RawWebSocket ws = RawWebSocket.open(port, observations);
                    ws.sendText("{\"outcomes\":[1,1]}");
                    ws.read();
                    ws.reset();
                }
                case 3 -> { // close in the middle of a fragmented message
                    try (RawWebSocket ws = RawWebSocket.open(port, observations)) {
                        ws.send(false, 0, 1, part);
                        ws.send(true, 0, 8, new byte[] {0x03, (byte) 0xe8});
                        ws.readUntilClose();
                    }
                }
                default -> { // reset in the middle of a fragmented message
                    RawWebSocket ws = RawWebSocket.open(port, observations);
                    ws.send(false, 0, 1, part);
                    ws.reset();
                }
            }
        }
    }

    /** Waits (bounded) until the server has let go of every socket. */
    private static void settle(LoopbackServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.server.openSockets() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(0, server.server.openSockets(), "open WebSockets after the churn");
        Thread.sleep(200);
    }

    private static long openFileDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        if (fds != null) return fds.length;
        return ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getOpenFileDescriptorCount();
    }

    private static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
