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
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.pipeline.ContinuousSampling;
import org.neuroflux.pipeline.FrameLayout;
import org.neuroflux.pipeline.Session;
import org.neuroflux.pipeline.SignalFrame;
import org.neuroflux.pipeline.SignalSubscription;
import org.neuroflux.pipeline.SubscriberSpec;

/**
 * Encodes the signal stream (docs/protocol.md): a JSON header message first, then one message per
 * frame, JSON text or little-endian binary. Stateless and thread-safe.
 *
 * <p>Binary frame: a 64-byte header then {@code channelCount} float64 values, all little-endian:
 * <pre>
 *  0 u32 magic 0x3158464E ("NFX1")   4 u16 version (1)   6 u16 scheme index
 *  8 u64 session key                16 u64 sequence (iteration n)
 * 24 u32 trial   28 u16 epoch   30 u16 iteration
 * 32 f64 model time (s)            40 i64 wall clock (us since Unix epoch)
 * 48 u64 frames dropped so far for this subscriber
 * 56 u32 channel count             60 u32 reserved (0)
 * 64 f64[channel count] values
 * </pre>
 */
public final class FrameCodec {
    public static final int MAGIC = 0x3158464E;
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Output format of a subscriber. */
    public enum Format { JSON, BINARY }

    /** The LSL-style description sent as the first (text) message of every signal stream. */
    public String header(Session session, SignalSubscription sub, Format format) {
        Map<String, Object> h = new LinkedHashMap<>();
        SubscriberSpec spec = sub.spec();
        GenerativeModel model = session.spec().model();
        h.put("type", "header");
        h.put("protocol", "neuroflux-signals/" + VERSION);
        h.put("session", session.id());
        h.put("sessionKey", Long.toUnsignedString(session.key()));
        h.put("model", session.spec().modelName());
        h.put("format", format == Format.JSON ? "json" : "binary");
        List<Map<String, Object>> schemes = new ArrayList<>();
        for (int e = 0; e < session.spec().schemes().size(); e++) {
            if (spec.acceptsScheme(e)) schemes.add(Map.of("index", e, "name", session.spec().schemes().get(e).label()));
        }
        h.put("schemes", schemes);
        boolean max = session.spec().maxPacing();
        h.put("pacing", max ? "max" : session.spec().iterationMs());
        // LSL: nominal_srate is per stream; here per scheme, after decimation; 0 = irregular ("max")
        h.put("nominalRateHz", max ? 0 : 1000.0 / session.spec().iterationMs() / spec.decimation());
        h.put("decimation", spec.decimation());
        Map<String, Object> timebase = new LinkedHashMap<>();
        timebase.put("iterationSeconds", session.spec().frameSeconds());
        timebase.put("iterationsPerEpoch", session.iterations());
        timebase.put("epochsPerTrial", model.epochs());
        ContinuousSampling continuous = session.spec().continuous();
        timebase.put("modelTime", continuous == null ? "t = sequence / 64 s over all trials (SPM's display convention)"
                : "t = sequence / " + continuous.sampleRateHz() + " s over all trials: one frame per sample of the flow, an epoch lasts "
                  + continuous.epochSeconds() + " s as in discrete time");
        timebase.put("wallClock", max ? "as fast as lossless subscribers take frames"
                : "frame n is due at session start + n * " + session.spec().iterationMs() + " ms (plus stalls); wallUs is when it was emitted");
        h.put("timebase", timebase);
        h.put("integration", continuous == null ? Map.of("method", "discrete") : continuous.describe());
        h.put("policy", spec.policy().label());
        h.put("bufferFrames", spec.bufferFrames());
        List<Map<String, Object>> channels = new ArrayList<>();
        for (FrameLayout.Channel c : sub.selection().channels()) {
            Map<String, Object> ch = new LinkedHashMap<>();
            ch.put("label", c.label());
            ch.put("type", c.kind().label());
            ch.put("unit", c.kind().unit());
            if (c.factor() >= 0) ch.put("factor", model.factors().get(c.factor()).name());
            if (!Double.isNaN(c.frequencyHz())) {
                ch.put("frequencyHz", c.frequencyHz());
                ch.put("latencyFrames", session.layout().spectralLatency()); // the values describe frame seq - latencyFrames
            }
            channels.add(ch);
        }
        h.put("channelCount", channels.size());
        h.put("channels", channels);
        if (format == Format.BINARY) h.put("binary", "little-endian; 64-byte header (see docs/protocol.md), then channelCount float64");
        try {
            return JSON.writeValueAsString(h);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public WebSocketFrame encode(SignalFrame frame, SignalSubscription sub, Format format, ByteBufAllocator alloc) {
        return format == Format.JSON ? new TextWebSocketFrame(json(frame, sub)) : new BinaryWebSocketFrame(binary(frame, sub, alloc));
    }

    /** The JSON text of one frame. */
    public String json(SignalFrame frame, SignalSubscription sub) {
        SubscriberSpec.Selection sel = sub.selection();
        Session session = sub.session();
        StringBuilder sb = new StringBuilder(160 + sel.size() * 20);
        sb.append("{\"type\":\"frame\",\"session\":\"").append(session.id())
          .append("\",\"scheme\":\"").append(session.spec().schemes().get(frame.scheme()).label())
          .append("\",\"seq\":").append(frame.sequence())
          .append(",\"trial\":").append(frame.trial())
          .append(",\"epoch\":").append(frame.epoch())
          .append(",\"iteration\":").append(frame.iteration())
          .append(",\"t\":").append(frame.modelTimeSeconds())
          .append(",\"wallUs\":").append(frame.wallClockMicros())
          .append(",\"dropped\":").append(sub.dropped())
          .append(",\"data\":[");
        for (int i = 0; i < sel.size(); i++) {
            if (i > 0) sb.append(',');
            double v = sel.value(frame, i);
            if (Double.isFinite(v)) sb.append(v);
            else sb.append("null");
        }
        return sb.append("]}").toString();
    }

    /** The binary form of one frame, in a buffer from {@code alloc} (released by the transport once written). */
    public ByteBuf binary(SignalFrame frame, SignalSubscription sub, ByteBufAllocator alloc) {
        SubscriberSpec.Selection sel = sub.selection();
        int n = sel.size();
        ByteBuf buf = alloc.buffer(HEADER_BYTES + 8 * n);
        buf.writeIntLE(MAGIC);
        buf.writeShortLE(VERSION);
        buf.writeShortLE(frame.scheme());
        buf.writeLongLE(sub.session().key());
        buf.writeLongLE(frame.sequence());
        buf.writeIntLE((int) frame.trial());
        buf.writeShortLE(frame.epoch());
        buf.writeShortLE(frame.iteration());
        buf.writeDoubleLE(frame.modelTimeSeconds());
        buf.writeLongLE(frame.wallClockMicros());
        buf.writeLongLE(sub.dropped());
        buf.writeIntLE(n);
        buf.writeIntLE(0);
        for (int i = 0; i < n; i++) buf.writeDoubleLE(sel.value(frame, i));
        return buf;
    }
}
