package org.neuroflux.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.neuroflux.cli.Main;
import org.neuroflux.model.ModelProblem;
import org.neuroflux.model.ModelValidationException;
import org.neuroflux.model.spec.ModelSpecReader;
import org.neuroflux.spm.SpmModelReader;
import picocli.CommandLine;

/**
 * Both model readers on mutated shipped and SPM reference models: a model or a
 * {@link ModelValidationException} whose every problem has a message, never another exception;
 * and {@code validate} on such a file exits 0 or 2, never 1.
 */
class ModelReaderPropertiesTest {
    private static final String[] NATIVE = {
        read("config/models/tmaze.yaml"), read("config/models/oddball.yaml"), read("config/models/rule-learning.yaml")
    };
    private static final String[] NATIVE_AS_JSON = {asJson(NATIVE[0]), asJson(NATIVE[1])};
    private static final String[] SPM = {
        read("src/test/resources/reference/oddball-ai/mdp.json"),
        read("src/test/resources/reference/tmaze-ai-onpolicy/mdp.json"),
        read("src/test/resources/reference/tmaze-ai-2trials/mdp.json")
    };

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String asJson(String yaml) {
        try {
            return new ObjectMapper().writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(yaml));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkProblems(ModelValidationException e) {
        assertFalse(e.problems().isEmpty());
        for (ModelProblem p : e.problems()) {
            assertNotNull(p.message());
            assertFalse(p.message().isBlank());
        }
    }

    private static void readSpm(String text) {
        try {
            assertNotNull(new SpmModelReader().read(text, "mutated.json"));
        } catch (ModelValidationException e) {
            checkProblems(e);
        }
    }

    private static void readNative(String text, String name) {
        try {
            assertNotNull(new ModelSpecReader().read(text, name));
        } catch (ModelValidationException e) {
            checkProblems(e);
        }
    }

    @Provide
    Arbitrary<Integer> spm() {
        return Arbitraries.integers().between(0, SPM.length - 1);
    }

    @Provide
    Arbitrary<Integer> nativeModel() {
        return Arbitraries.integers().between(0, NATIVE.length - 1);
    }

    @Provide
    Arbitrary<Integer> nativeJson() {
        return Arbitraries.integers().between(0, NATIVE_AS_JSON.length - 1);
    }

    @Property(tries = 400)
    void spmTreeMutationsGiveAModelOrProblems(@ForAll("spm") int which, @ForAll long seed) {
        readSpm(Mutations.tree(SPM[which], seed));
    }

    @Property(tries = 300)
    void spmTextMutationsGiveAModelOrProblems(@ForAll("spm") int which, @ForAll long seed) {
        readSpm(Mutations.text(SPM[which], seed));
    }

    @Property(tries = 400)
    void nativeTreeMutationsGiveAModelOrProblems(@ForAll("nativeJson") int which, @ForAll long seed) {
        readNative(Mutations.tree(NATIVE_AS_JSON[which], seed), "mutated.json");
    }

    @Property(tries = 300)
    void nativeYamlTextMutationsGiveAModelOrProblems(@ForAll("nativeModel") int which, @ForAll long seed) {
        readNative(Mutations.text(NATIVE[which], seed), "mutated.yaml");
    }

    @Property(tries = 60)
    void validateExitsZeroOrTwoNeverOne(@ForAll("spm") int which, @ForAll long seed) throws Exception {
        Path file = Files.createTempFile("mutated", ".json");
        try {
            Files.writeString(
                    file,
                    seed % 2 == 0 ? Mutations.tree(SPM[which], seed) : Mutations.tree(NATIVE_AS_JSON[which % 2], seed));
            CommandLine cmd = Main.commandLine();
            StringWriter err = new StringWriter();
            cmd.setOut(new PrintWriter(new StringWriter()));
            cmd.setErr(new PrintWriter(err));
            int code = cmd.execute("validate", file.toString());
            assertNotEquals(1, code, err.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
