package org.neuroflux.library;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import org.neuroflux.model.LoadedModel;
import org.neuroflux.model.ModelValidationException;
import org.neuroflux.model.spec.ModelSpecReader;

/**
 * The models shipped in config/models/, by name ("tmaze", "tmaze-cue", "rule-learning", "oddball"): read from
 * the directory when it exists, otherwise from the copy packaged inside the jar.
 */
public final class ModelLibrary {
    private final Path directory;

    public ModelLibrary(Path directory) {
        this.directory = directory;
    }

    /** The default library: ./config/models, falling back to the jar's copy. */
    public static ModelLibrary standard() {
        return new ModelLibrary(Path.of("config", "models"));
    }

    public LoadedModel load(String name) throws IOException, ModelValidationException {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) throw new NoSuchFileException(name, null, "not a model name");
        for (String ext : new String[] {".yaml", ".yml", ".json"}) {
            Path file = directory.resolve(name + ext);
            if (Files.isRegularFile(file)) return ModelFiles.load(file, false);
        }
        try (InputStream in =
                ModelLibrary.class.getResourceAsStream("/models/" + name.toLowerCase(Locale.ROOT) + ".yaml")) {
            if (in == null)
                throw new NoSuchFileException(name, null, "no model of that name in " + directory + " or in the jar");
            return new ModelSpecReader().read(new String(in.readAllBytes(), StandardCharsets.UTF_8), name + ".yaml");
        }
    }
}
