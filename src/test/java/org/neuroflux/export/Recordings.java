package org.neuroflux.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.signal.SignalKind;
import org.neuroflux.spm.SpmImport;
import org.neuroflux.spm.SpmModelReader;

/** Test fixtures: the SPM reference cases simulated, and their recordings. */
final class Recordings {
    private Recordings() {}

    record Case(GenerativeModel model, TrialTrace[] traces) {}

    static Case simulate(String name) throws Exception {
        String text;
        try (InputStream in = Recordings.class.getResourceAsStream("/reference/" + name + "/mdp.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SpmImport imported = new SpmModelReader().read(text, name + "/mdp.json");
        GenerativeModel[] models = imported.models().toArray(GenerativeModel[]::new);
        TrialTrace[] traces = new TrialRunner(models[0], SolverOptions.spm())
                .runSequence(models, imported.fixtures().toArray(TrialFixture[]::new), new SplitMixSource(1));
        return new Case(models[0], traces);
    }

    static Recording record(String name, Set<SignalKind> kinds) throws Exception {
        Case c = simulate(name);
        return new RecordingBuilder(c.model(), "active-inference")
                .signals(kinds)
                .build(c.traces());
    }

    static JsonNode reference(String name) throws Exception {
        try (InputStream in = Recordings.class.getResourceAsStream("/reference/" + name + "/out.json")) {
            return new ObjectMapper().readTree(in);
        }
    }
}
