package org.neuroflux.library;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.neuroflux.model.LoadedModel;
import org.neuroflux.model.ModelFormat;
import org.neuroflux.model.ModelLimits;
import org.neuroflux.model.ModelProblem;
import org.neuroflux.model.ModelValidationException;
import org.neuroflux.model.spec.ModelSpecReader;
import org.neuroflux.spm.SpmImport;
import org.neuroflux.spm.SpmModelReader;

/**
 * Loads a model file in either format: SPM JSON is detected from its content (an object or list
 * of objects with A/a and B), or forced; everything else is read as the native format.
 */
public final class ModelFiles {
    private ModelFiles() {}

    public static LoadedModel load(Path file, boolean forceSpm) throws IOException, ModelValidationException {
        return load(file, forceSpm, ModelLimits.DEFAULTS);
    }

    /** Loads within the given size limits (a breach is a {@link ModelValidationException#tooLarge()}). */
    public static LoadedModel load(Path file, boolean forceSpm, ModelLimits limits)
            throws IOException, ModelValidationException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no such model file");
        String text = Files.readString(file);
        String name = file.getFileName().toString();
        boolean json = name.toLowerCase(Locale.ROOT).endsWith(".json");
        if (forceSpm || (json && isSpm(text))) {
            SpmImport imported = new SpmModelReader(limits).read(text, name);
            return new LoadedModel(imported.models(), imported.fixtures(), ModelFormat.SPM_JSON, imported.warnings());
        }
        return new ModelSpecReader(limits).read(text, name);
    }

    /**
     * Reads a model sent as text (an inline model of a session request): SPM JSON when its content
     * looks like an MDP struct, else the native format.
     */
    public static LoadedModel read(String text, String origin) throws ModelValidationException {
        return read(text, origin, ModelLimits.DEFAULTS);
    }

    /** As {@link #read(String, String)}, within the given size limits. */
    public static LoadedModel read(String text, String origin, ModelLimits limits) throws ModelValidationException {
        if (isSpm(text)) {
            SpmImport imported = new SpmModelReader(limits).read(text, origin);
            return new LoadedModel(imported.models(), imported.fixtures(), ModelFormat.SPM_JSON, imported.warnings());
        }
        return new ModelSpecReader(limits).read(text, origin);
    }

    private static boolean isSpm(String text) {
        try {
            JsonNode root = new ObjectMapper().readTree(text);
            return root != null && SpmModelReader.looksLikeSpm(root);
        } catch (IOException e) {
            return false; // let the reader report the syntax error in its own words
        }
    }

    /** Formats warnings one per line for stderr. */
    public static String describe(List<ModelProblem> warnings) {
        StringBuilder sb = new StringBuilder();
        for (ModelProblem w : warnings) sb.append("warning: ").append(w).append('\n');
        return sb.toString();
    }
}
