package org.neuroflux.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuroflux.signal.SignalKind;

class SignalTableWriterTest {
    private static List<String> lines(Recording rec, SignalTableWriter.Format format, SignalTableWriter.Layout layout)
            throws Exception {
        StringWriter w = new StringWriter();
        SignalTableWriter.write(w, rec, format, layout);
        return w.toString().lines().toList();
    }

    @Test
    void longCsvHasOneRowPerSampleAndChannelWithExactValues() throws Exception {
        Recording rec = Recordings.record("tmaze-ai-onpolicy", EnumSet.of(SignalKind.RATE, SignalKind.DOPAMINE));
        List<String> rows = lines(rec, SignalTableWriter.Format.CSV, SignalTableWriter.Layout.LONG);
        assertEquals("time_s,trial,epoch,iteration,channel,kind,factor,state,tau,unit,value", rows.get(0));
        assertEquals(1 + rec.sampleCount() * rec.channels().size(), rows.size());
        // sample 17 = epoch 2, iteration 2, stamped 17/64 s
        int c = rec.indexOf("FR f1s2t3");
        String[] row = rows.get(1 + 17 * rec.channels().size() + c).split(",");
        assertEquals(17 / 64.0, Double.parseDouble(row[0]));
        assertEquals("1", row[1]);
        assertEquals("2", row[2]);
        assertEquals("2", row[3]);
        assertEquals(rec.channel(c).name(), row[4]);
        assertEquals("rate", row[5]);
        assertEquals("3", row[8]);
        assertEquals("a.u.", row[9]);
        assertEquals(rec.value(c, 17), Double.parseDouble(row[10]), 0);
        String[] da =
                rows.get(1 + 17 * rec.channels().size() + rec.indexOf("DA")).split(",", -1);
        assertEquals("", da[6]);
        assertEquals("", da[8]);
    }

    @Test
    void wideJsonlHasOneObjectPerSampleWithAKeyPerChannel() throws Exception {
        Recording rec = Recordings.record("oddball-ai", EnumSet.of(SignalKind.RATE, SignalKind.LFP));
        List<String> rows = lines(rec, SignalTableWriter.Format.JSONL, SignalTableWriter.Layout.WIDE);
        assertEquals(rec.sampleCount(), rows.size());
        ObjectMapper mapper = new ObjectMapper();
        for (int n = 0; n < rows.size(); n++) {
            JsonNode o = mapper.readTree(rows.get(n));
            assertEquals(4 + rec.channels().size(), o.size());
            assertEquals(n / 64.0, o.get("time_s").asDouble());
            for (int c = 0; c < rec.channels().size(); c++)
                assertEquals(rec.value(c, n), o.get(rec.channel(c).name()).asDouble(), 0);
        }
    }

    @Test
    void wideCsvHeaderNamesEveryChannelAndLongJsonlUsesNullsForWhatDoesNotApply() throws Exception {
        Recording rec = Recordings.record("tmaze-ai-onpolicy", EnumSet.of(SignalKind.LFP, SignalKind.PRECISION));
        List<String> wide = lines(rec, SignalTableWriter.Format.CSV, SignalTableWriter.Layout.WIDE);
        assertEquals(1 + rec.sampleCount(), wide.size());
        assertTrue(wide.get(0).startsWith("time_s,trial,epoch,iteration,lfp/"), wide.get(0));
        assertTrue(wide.get(0).endsWith(",precision"));
        List<String> longRows = lines(rec, SignalTableWriter.Format.JSONL, SignalTableWriter.Layout.LONG);
        JsonNode gamma = new ObjectMapper().readTree(longRows.get(rec.indexOf("GAMMA")));
        assertTrue(gamma.get("state").isNull());
        assertEquals("precision", gamma.get("kind").asText());
    }
}
