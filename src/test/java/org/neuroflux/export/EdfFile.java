package org.neuroflux.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A minimal EDF+ reader for tests: header fields, physical samples and annotation TALs, straight from the spec. */
final class EdfFile {
    final String version;
    final String recording;
    final String reserved;
    final int headerBytes;
    final int records;
    final double recordSeconds;
    final int signals;
    final String[] labels;
    final String[] transducers;
    final String[] units;
    final double[] physMin;
    final double[] physMax;
    final int[] digMin;
    final int[] digMax;
    final int[] samplesPerRecord;
    final double[][] data;
    /** onset, duration (NaN when absent), text: the annotations after each record's time-keeping TAL. */
    final List<Object[]> annotations = new ArrayList<>();

    final List<Double> recordOnsets = new ArrayList<>();
    final long fileBytes;

    EdfFile(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        fileBytes = b.length;
        int[] pos = {0};
        version = text(b, pos, 8);
        text(b, pos, 80);
        recording = text(b, pos, 80);
        text(b, pos, 8);
        text(b, pos, 8);
        headerBytes = Integer.parseInt(text(b, pos, 8));
        reserved = text(b, pos, 44);
        records = Integer.parseInt(text(b, pos, 8));
        recordSeconds = Double.parseDouble(text(b, pos, 8));
        signals = Integer.parseInt(text(b, pos, 4));
        labels = new String[signals];
        transducers = new String[signals];
        units = new String[signals];
        physMin = new double[signals];
        physMax = new double[signals];
        digMin = new int[signals];
        digMax = new int[signals];
        samplesPerRecord = new int[signals];
        for (int i = 0; i < signals; i++) labels[i] = text(b, pos, 16);
        for (int i = 0; i < signals; i++) transducers[i] = text(b, pos, 80);
        for (int i = 0; i < signals; i++) units[i] = text(b, pos, 8);
        for (int i = 0; i < signals; i++) physMin[i] = Double.parseDouble(text(b, pos, 8));
        for (int i = 0; i < signals; i++) physMax[i] = Double.parseDouble(text(b, pos, 8));
        for (int i = 0; i < signals; i++) digMin[i] = Integer.parseInt(text(b, pos, 8));
        for (int i = 0; i < signals; i++) digMax[i] = Integer.parseInt(text(b, pos, 8));
        for (int i = 0; i < signals; i++) text(b, pos, 80);
        for (int i = 0; i < signals; i++) samplesPerRecord[i] = Integer.parseInt(text(b, pos, 8));
        for (int i = 0; i < signals; i++) text(b, pos, 32);
        if (pos[0] != headerBytes)
            throw new IllegalStateException("header is " + pos[0] + " bytes, says " + headerBytes);
        data = new double[signals][];
        for (int i = 0; i < signals; i++) data[i] = new double[records * samplesPerRecord[i]];
        ByteBuffer buf = ByteBuffer.wrap(b, headerBytes, b.length - headerBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < records; r++) {
            for (int i = 0; i < signals; i++) {
                if (labels[i].equals("EDF Annotations")) {
                    byte[] tal = new byte[2 * samplesPerRecord[i]];
                    buf.get(tal);
                    parseTals(tal);
                    continue;
                }
                double gain = (physMax[i] - physMin[i]) / (digMax[i] - digMin[i]);
                for (int k = 0; k < samplesPerRecord[i]; k++) {
                    int d = buf.getShort();
                    data[i][r * samplesPerRecord[i] + k] = (d - digMin[i]) * gain + physMin[i];
                }
            }
        }
        if (buf.remaining() != 0) throw new IllegalStateException(buf.remaining() + " bytes after the last record");
    }

    private void parseTals(byte[] tal) {
        int start = 0;
        boolean first = true;
        for (int i = 0; i < tal.length; i++) {
            if (tal[i] != 0) continue;
            if (i == start) break; // padding
            String t = new String(tal, start, i - start, StandardCharsets.UTF_8);
            start = i + 1;
            String[] parts = t.split("\u0014", -1);
            String[] time = parts[0].split("\u0015");
            double onset = Double.parseDouble(time[0]);
            double duration = time.length > 1 ? Double.parseDouble(time[1]) : Double.NaN;
            if (first) {
                recordOnsets.add(onset);
                first = false;
                if (!parts[1].isEmpty()) throw new IllegalStateException("time-keeping TAL with text: " + t);
                continue;
            }
            for (int p = 1; p < parts.length - 1; p++) annotations.add(new Object[] {onset, duration, parts[p]});
        }
    }

    int indexOf(String label) {
        for (int i = 0; i < signals; i++) if (labels[i].equals(label)) return i;
        return -1;
    }

    private static String text(byte[] b, int[] pos, int n) {
        String s = new String(b, pos[0], n, StandardCharsets.US_ASCII).trim();
        pos[0] += n;
        return s;
    }
}
