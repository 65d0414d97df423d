package org.neuroflux.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuroflux.pipeline.ContinuousSampling;
import org.neuroflux.pipeline.FrameLayout;
import org.neuroflux.pipeline.Session;
import org.neuroflux.pipeline.SignalFrame;
import org.neuroflux.pipeline.SignalSubscription;
import org.neuroflux.pipeline.SubscriberSpec;

/**
 * Encodes the signal stream (docs/protocol.md): a JSON header message first, then one message per
 * iteration carrying every scheme and channel the subscriber asked for, JSON text or little-endian
 * binary. Stateless and thread-safe.
 *
 * <p>Binary message (version 2): a 64-byte header then {@code schemeCount x channelCount} float64
 * values, scheme-major, all little-endian:
 * <pre>
 *  0 u32 magic 0x3158464E ("NFX1")   4 u16 version (2)   6 u16 scheme count m
 *  8 u64 session key                16 u64 sequence (iteration n)
 * 24 u32 trial   28 u16 epoch   30 u16 iteration
 * 32 f64 model time (s)            40 i64 wall clock (us since Unix epoch)
 * 48 u64 frames dropped so far for this subscriber
 * 56 u32 channel count n           60 u32 level (0: single-level session; deep: 1 top, 2 lower)
 * 64 f64[m][n] values: the header's schemes in order, each with its n channels
 * </pre>
 */
public final class FrameCodec {
    public static final int MAGIC = 0x3158464E;
    /** Version of the binary layout, also in the stream header ({@code binaryVersion}). */
    public static final int VERSION = 2;

    public static final int HEADER_BYTES = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Output format of a subscriber. */
    public enum Format {
        JSON,
        BINARY
    }

    /** The LSL-style description sent as the first (text) message of every signal stream. */
    public String header(Session session, SignalSubscription sub, Format format) {
        Map<String, Object> h = new LinkedHashMap<>();
        SubscriberSpec spec = sub.spec();
        List<String> factorNames = session.spec().factorNames();
        List<String> schemeLabels = session.spec().schemeLabels();
        h.put("type", "header");
        h.put("protocol", "neuroflux-signals/" + VERSION);
        h.put("session", session.id());
        h.put("sessionKey", Long.toUnsignedString(session.key()));
        h.put("model", session.spec().modelName());
        h.put("format", format == Format.JSON ? "json" : "binary");
        List<Map<String, Object>> schemes = new ArrayList<>();
        int[] order = sub.schemeOrder();
        for (int k = 0; k < order.length; k++) schemes.add(Map.of("index", k, "name", schemeLabels.get(order[k])));
        h.put("schemes", schemes);
        boolean max = session.spec().maxPacing();
        h.put("pacing", max ? "max" : session.spec().iterationMs());
        // LSL: nominal_srate; here messages per second, after decimation (each carries every scheme); 0 = irregular
        // ("max")
        h.put("nominalRateHz", max ? 0 : 1000.0 / session.spec().iterationMs() / spec.decimation());
        h.put("decimation", spec.decimation());
        Map<String, Object> timebase = new LinkedHashMap<>();
        timebase.put("iterationSeconds", session.spec().frameSeconds());
        timebase.put("iterationsPerEpoch", session.iterations());
        timebase.put("epochsPerTrial", session.spec().epochsPerTrial());
        ContinuousSampling continuous = session.spec().continuous();
        timebase.put(
                "modelTime",
                continuous == null
                        ? "t = sequence / 64 s over all trials (SPM's display convention)"
                        : "t = sequence / " + continuous.sampleRateHz()
                                + " s over all trials: one frame per sample of the flow, an epoch lasts "
                                + continuous.epochSeconds() + " s as in discrete time");
        timebase.put(
                "wallClock",
                max
                        ? "as fast as lossless subscribers take frames"
                        : "a frame is due every " + session.spec().iterationMs()
                                + " ms on the server's shared clock (plus stalls); wallUs is when it was emitted");
        h.put("timebase", timebase);
        h.put("integration", continuous == null ? Map.of("method", "discrete") : continuous.describe());
        h.put("policy", spec.policy().label());
        h.put("bufferFrames", spec.bufferFrames());
        List<Map<String, Object>> channels = new ArrayList<>();
        FrameLayout lower = session.lowerLayout();
        List<String> lowerFactors = session.lowerFactorNames();
        if (lower != null) {
            // a deep model: frames of each level, the lower trial nested first in the higher epoch it serves
            h.put(
                    "levels",
                    List.of(
                            Map.of("level", 1, "name", session.spec().modelName()),
                            Map.of("level", 2, "name", session.lowerModelName())));
        }
        List<FrameLayout.Channel> selected = sub.selection().channels();
        for (int i = 0; i < selected.size(); i++) {
            FrameLayout.Channel c = selected.get(i);
            int level = sub.selection().level(i);
            Map<String, Object> ch = new LinkedHashMap<>();
            ch.put("label", c.label());
            ch.put("type", c.type());
            ch.put("unit", c.unit());
            if (c.factor() >= 0) ch.put("factor", (level == 2 ? lowerFactors : factorNames).get(c.factor()));
            if (level > 0) ch.put("level", level);
            if (!Double.isNaN(c.frequencyHz())) {
                ch.put("frequencyHz", c.frequencyHz());
                ch.put(
                        "latencyFrames",
                        session.layout().spectralLatency()); // the values describe frame seq - latencyFrames
            }
            channels.add(ch);
        }
        h.put("channelCount", channels.size());
        h.put("channels", channels);
        h.put("binaryVersion", VERSION);
        if (format == Format.BINARY)
            h.put(
                    "binary",
                    "little-endian; 64-byte header (see docs/protocol.md), then schemes x channelCount float64");
        try {
            return JSON.writeValueAsString(h);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public WebSocketFrame encode(SignalFrame frame, SignalSubscription sub, Format format, ByteBufAllocator alloc) {
        if (frame.resumedBy() != null) return new TextWebSocketFrame(resumed(frame));
        return format == Format.JSON
                ? new TextWebSocketFrame(json(frame, sub))
                : new BinaryWebSocketFrame(binary(frame, sub, alloc));
    }

    /**
     * The resumed notice (cluster mode, docs/cluster.md), a text message in either format:
     * {@code {"type":"resumed","owner":...,"seq":...,"wallUs":...}}; {@code seq} is the next frame's.
     */
    public String resumed(SignalFrame notice) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "resumed");
        m.put("owner", notice.resumedBy());
        m.put("seq", notice.sequence());
        m.put("wallUs", notice.wallClockMicros());
        try {
            return JSON.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON text of one frame: {@code data} holds one list of channel values per scheme of the header. */
    public String json(SignalFrame frame, SignalSubscription sub) {
        SubscriberSpec.Selection sel = sub.selection();
        int[] order = sub.schemeOrder();
        StringBuilder sb = new StringBuilder(160 + order.length * sel.size() * 20);
        sb.append("{\"type\":\"frame\",\"session\":\"")
                .append(sub.session().id())
                .append("\",\"seq\":")
                .append(frame.sequence())
                .append(",\"trial\":")
                .append(frame.trial())
                .append(",\"epoch\":")
                .append(frame.epoch())
                .append(",\"iteration\":")
                .append(frame.iteration());
        if (frame.level() > 0) sb.append(",\"level\":").append(frame.level());
        sb.append(",\"t\":")
                .append(frame.modelTimeSeconds())
                .append(",\"wallUs\":")
                .append(frame.wallClockMicros())
                .append(",\"dropped\":")
                .append(sub.dropped())
                .append(",\"data\":[");
        for (int k = 0; k < order.length; k++) {
            sb.append(k == 0 ? "[" : ",[");
            for (int i = 0; i < sel.size(); i++) {
                if (i > 0) sb.append(',');
                double v = sel.value(frame, order[k], i);
                if (Double.isFinite(v)) sb.append(v);
                else sb.append("null");
            }
            sb.append(']');
        }
        return sb.append("]}").toString();
    }

    /** The binary form of one frame, in a buffer from {@code alloc} (released by the transport once written). */
    public ByteBuf binary(SignalFrame frame, SignalSubscription sub, ByteBufAllocator alloc) {
        SubscriberSpec.Selection sel = sub.selection();
        int[] order = sub.schemeOrder();
        int n = sel.size();
        ByteBuf buf = alloc.buffer(HEADER_BYTES + 8 * n * order.length);
        buf.writeIntLE(MAGIC);
        buf.writeShortLE(VERSION);
        buf.writeShortLE(order.length);
        buf.writeLongLE(sub.session().key());
        buf.writeLongLE(frame.sequence());
        buf.writeIntLE((int) frame.trial());
        buf.writeShortLE(frame.epoch());
        buf.writeShortLE(frame.iteration());
        buf.writeDoubleLE(frame.modelTimeSeconds());
        buf.writeLongLE(frame.wallClockMicros());
        buf.writeLongLE(sub.dropped());
        buf.writeIntLE(n);
        buf.writeIntLE(frame.level()); // was reserved (0): still 0 in a single-level session
        for (int e : order) {
            for (int i = 0; i < n; i++) buf.writeDoubleLE(sel.value(frame, e, i));
        }
        return buf;
    }
}
