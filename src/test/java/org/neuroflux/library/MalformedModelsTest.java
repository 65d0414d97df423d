package org.neuroflux.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroflux.model.LoadedModel;
import org.neuroflux.model.ModelLimits;
import org.neuroflux.model.ModelProblem;
import org.neuroflux.model.ModelValidationException;

/** The committed corpus of malformed models (src/test/resources/malformed) and the model size limits. */
class MalformedModelsTest {
    private static final Path CORPUS = Path.of("src/test/resources/malformed/models");

    private static ModelValidationException refused(Path file) {
        return assertThrows(ModelValidationException.class, () -> ModelFiles.load(file, false));
    }

    private static String text(ModelValidationException e) {
        return e.problems().stream().map(ModelProblem::toString).collect(Collectors.joining("\n"));
    }

    @Test
    void aHugeTInAnSpmModelIsRefusedBeforeAnythingIsAllocated() {
        ModelValidationException e = refused(CORPUS.resolve("spm-huge-T.json"));
        assertTrue(e.tooLarge());
        assertEquals(
                "spm-huge-T.json: T: is 1000000 epochs per trial (T); the limit is 1000 (limits.modelMaxEpochs)",
                text(e));
    }

    @Test
    void aHugeTInANativeModelIsRefusedBeforeAnythingIsAllocated() {
        ModelValidationException e = refused(CORPUS.resolve("native-huge-T.yaml"));
        assertTrue(e.tooLarge());
        assertEquals(
                "native-huge-T.yaml: T: is 1000000000 epochs per trial (T); the limit is 1000 (limits.modelMaxEpochs)",
                text(e));
    }

    @Test
    void aHundredThousandStatesAreRefusedNamingTheFactor(@TempDir Path dir) throws Exception {
        StringBuilder states = new StringBuilder();
        for (int s = 0; s < 100_000; s++)
            states.append(s == 0 ? "" : ", ").append('s').append(s);
        String oddball = Files.readString(Path.of("config/models/oddball.yaml"));
        Path file = dir.resolve("many.yaml");
        Files.writeString(
                file, oddball.replace("states: [standard, deviant]", "states: [standard, deviant, " + states + "]"));
        ModelValidationException e = refused(file);
        assertTrue(e.tooLarge());
        assertEquals(
                "many.yaml: factors[1].states: is 100002 states of factor 1; the limit is 4096 (limits.modelMaxStates)",
                text(e));

        Path spm = dir.resolve("many.json");
        StringBuilder column = new StringBuilder("[");
        for (int s = 0; s < 5000; s++) column.append(s == 0 ? "" : ",").append(s == 0 ? "[1]" : "[0]");
        Files.writeString(spm, "{\"A\":[[[1]]],\"B\":[" + column + "]],\"V\":[1,1],\"T\":3}");
        e = refused(spm);
        assertTrue(e.tooLarge());
        assertEquals("many.json: B{1}: is 5000 states of factor 1; the limit is 4096 (limits.modelMaxStates)", text(e));
    }

    @Test
    void theProductOfManyFactorsIsBoundByTheElementLimit(@TempDir Path dir) throws Exception {
        StringBuilder factors = new StringBuilder("factors:\n");
        for (int f = 0; f < 12; f++)
            factors.append("  - {name: f").append(f).append(", states: [a, b, c, d, e, f, g, h]}\n");
        Path file = dir.resolve("wide.yaml");
        Files.writeString(
                file,
                "T: 2\n" + factors
                        + "modalities:\n  - {name: m, outcomes: [x, y]}\npolicies:\n  - name: p\nA: {}\nB: {}\n");
        ModelValidationException e = refused(file);
        assertTrue(e.tooLarge());
        assertTrue(text(e).startsWith("wide.yaml: would hold 137438954"), text(e));
        assertTrue(text(e).endsWith("the limit is 20000000 (limits.modelMaxElements)"), text(e));
    }

    @Test
    void limitsAreConfigurableAndEveryShippedAndReferenceModelFitsWithRoom() throws Exception {
        ModelLimits tight = new ModelLimits(2, 4096, 4096, 10_000, 16, 16, 20_000_000, 1 << 20);
        ModelValidationException e = assertThrows(
                ModelValidationException.class,
                () -> ModelFiles.load(Path.of("config/models/oddball.yaml"), false, tight));
        assertEquals("oddball.yaml: T: is 4 epochs per trial (T); the limit is 2 (limits.modelMaxEpochs)", text(e));
        // a tenth of every default still admits the shipped models and the SPM reference cases
        ModelLimits tenth = new ModelLimits(100, 409, 409, 1000, 4, 4, 2_000_000, 100_000);
        List<Path> files = List.of(
                Path.of("config/models/tmaze.yaml"),
                Path.of("config/models/rule-learning.yaml"),
                Path.of("config/models/oddball.yaml"),
                Path.of("src/test/resources/reference/rule-ai/mdp.json"),
                Path.of("src/test/resources/reference/tmaze-ng-onpolicy/mdp.json"),
                Path.of("src/test/resources/reference/tmaze-ai-2trials/mdp.json"));
        for (Path f : files) {
            LoadedModel m = ModelFiles.load(f, false, tenth);
            assertTrue(tenth.iterationsProblem(m.first().epochs(), 512) == null, f.toString());
        }
    }

    @Test
    void scalarTrialDataIsReadAsOneEntryNeverANullPointer() throws Exception {
        for (String name : List.of("spm-scalar-s.json", "spm-scalar-o.json", "spm-scalar-u.json")) {
            Path file = CORPUS.resolve(name);
            try {
                LoadedModel m = ModelFiles.load(file, false);
                assertEquals(4, m.first().epochs(), name);
            } catch (ModelValidationException e) {
                assertTrue(text(e).startsWith(name + ": "), text(e));
            }
        }
        LoadedModel s = ModelFiles.load(CORPUS.resolve("spm-scalar-o.json"), false);
        assertEquals(1, s.fixtures().get(0).outcomes()[0][0]); // o = 2: the first epoch's outcome, 0-based 1
    }

    @Test
    void everyClassOfProblemInAFileIsReportedAtOnce() {
        ModelValidationException e = refused(CORPUS.resolve("spm-negative-A-and-bad-o.json"));
        String all = text(e);
        assertTrue(all.contains("A{1}: entry 3 (linear index) is -0.1; probabilities must be >= 0"), all);
        assertTrue(all.contains("o(1,4): is 7; expected 0 (sample) or an outcome of modality 1 in 1..2"), all);
        assertEquals(2, e.problems().size(), all);
    }
}
