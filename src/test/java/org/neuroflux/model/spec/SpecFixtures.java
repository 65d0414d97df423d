package org.neuroflux.model.spec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.stream.Collectors;
import org.neuroflux.model.LoadedModel;
import org.neuroflux.model.ModelProblem;
import org.neuroflux.model.ModelValidationException;

/** A small valid native model and helpers to break it one field at a time. */
final class SpecFixtures {
    private SpecFixtures() {}

    /** Valid: location (3) x context (2); where (3) and reward (2); two sequential policies; T = 3. */
    static final String MINI = """
            name: mini
            T: 3
            factors:
              - name: location
                states: [centre, left, right]
                controls: [stay, go-left, go-right]
              - name: context
                states: [a, b]
            modalities:
              - name: where
                outcomes: [centre, left, right]
              - name: reward
                outcomes: [none, win]
            policies:
              - {name: wait, location: [stay, stay]}
              - {name: left, location: [go-left, stay]}
            A:
              where:
                - when: {location: centre}
                  outcome: centre
                - when: {location: left}
                  outcome: left
                - when: {location: right}
                  outcome: right
              reward:
                - outcome: none
                - when: {location: right, context: a}
                  p: {none: 0.5, win: 0.5}
            B:
              location:
                stay: identity
                go-left: {moveTo: left}
                go-right: {moveTo: right}
              context: identity
            """;

    static String mini(String old, String replacement) {
        if (!MINI.contains(old)) fail("fixture does not contain: " + old);
        return MINI.replace(old, replacement);
    }

    static LoadedModel load(String text) throws ModelValidationException {
        return new ModelSpecReader().read(text, "mini.yaml");
    }

    /** The problems of a file that must not load. */
    static List<ModelProblem> problems(String text) {
        return assertThrows(ModelValidationException.class, () -> load(text)).problems();
    }

    /** "path: message" lines, as the validate command prints them without the file name. */
    static String describe(List<ModelProblem> problems) {
        return problems.stream().map(p -> p.path() + ": " + p.message()).collect(Collectors.joining("\n"));
    }

    /** Asserts one problem has this path and a message containing every fragment. */
    static void assertProblem(List<ModelProblem> problems, String path, String... fragments) {
        for (ModelProblem p : problems) {
            if (!p.path().equals(path)) continue;
            boolean all = true;
            for (String f : fragments) all &= p.message().contains(f);
            if (all) return;
        }
        fail("no problem at " + path + " containing " + List.of(fragments) + " in:\n" + describe(problems));
    }
}
