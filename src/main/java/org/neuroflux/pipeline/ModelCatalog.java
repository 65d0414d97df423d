package org.neuroflux.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.neuroflux.library.ModelFiles;
import org.neuroflux.library.ModelLibrary;
import org.neuroflux.model.Factor;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.LoadedModel;
import org.neuroflux.model.Modality;
import org.neuroflux.model.ModelLimits;
import org.neuroflux.model.ModelValidationException;

/**
 * The models clients may name: every model file in the models directory (yaml, yml, json; the
 * name is the file name without extension) and the models shipped in the jar (tmaze, tmaze-cue,
 * rule-learning, oddball) where the directory does not have a loadable one. All are loaded once, at startup; a model that fails to load is listed with its error and cannot be
 * used. Clients only ever pass a name, looked up in this map: no client-supplied path is opened.
 */
public final class ModelCatalog {
    /** Shipped model names looked up in the jar when the directory does not have them. */
    private static final List<String> SHIPPED = List.of("tmaze", "tmaze-cue", "rule-learning", "oddball");

    /** A catalog entry: the model, or why it could not be loaded. */
    public record Entry(String name, String origin, GenerativeModel model, String error) {
        /** Whether the model loaded (else {@link #error()} says why). */
        public boolean available() {
            return model != null;
        }
    }

    private final Map<String, Entry> entries = new TreeMap<>();

    /** Loads the catalog (blocking file I/O: call at startup, not on an event loop). */
    public static ModelCatalog load(Path directory) {
        return load(directory, ModelLimits.DEFAULTS);
    }

    /** Loads the catalog; files beyond the limits are listed with their error, like any invalid file. */
    public static ModelCatalog load(Path directory, ModelLimits limits) {
        ModelCatalog c = new ModelCatalog();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.{yaml,yml,json}")) {
                for (Path file : files) {
                    String fileName = file.getFileName().toString();
                    String name = fileName.substring(0, fileName.lastIndexOf('.'));
                    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]*") || c.entries.containsKey(name)) continue;
                    try {
                        c.entries.put(
                                name,
                                new Entry(
                                        name,
                                        "file " + fileName,
                                        ModelFiles.load(file, false, limits).first(),
                                        null));
                    } catch (IOException | ModelValidationException | RuntimeException e) {
                        c.entries.put(name, new Entry(name, "file " + fileName, null, e.getMessage()));
                    }
                }
            } catch (IOException e) {
                // an unreadable directory leaves only the shipped models
            }
        }
        for (String name : SHIPPED) {
            Entry existing = c.entries.get(name);
            if (existing != null && existing.model() != null) continue;
            try {
                LoadedModel loaded = new ModelLibrary(directory).load(name);
                c.entries.put(name, new Entry(name, "shipped", loaded.first(), null));
            } catch (IOException | ModelValidationException | RuntimeException e) {
                if (existing == null) c.entries.put(name, new Entry(name, "shipped", null, e.getMessage()));
            }
        }
        return c;
    }

    /** The entry of a name, or null when the catalog has no such model. */
    public Entry entry(String name) {
        return entries.get(name);
    }

    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /**
     * Reads an inline model sent by a client: an SPM MDP struct (A/a, B, ...) or the native format.
     *
     * @throws ModelValidationException with the problems when it is not a valid model
     */
    public static GenerativeModel inline(JsonNode node) throws ModelValidationException {
        return inline(node, ModelLimits.DEFAULTS);
    }

    /** As {@link #inline(JsonNode)}, within the given size limits (checked before any array is built). */
    public static GenerativeModel inline(JsonNode node, ModelLimits limits) throws ModelValidationException {
        return ModelFiles.read(node.toString(), "inline model", limits)
                .first(); // the library reads every model, files or inline
    }

    /** Why a model cannot run in a live session, or null when it can (single-level and two-level models can). */
    public static String whyNotLive(GenerativeModel model) {
        if (model.subordinate() == null || model.subordinate().depth() == 1) return null;
        return "has " + (model.subordinate().depth() + 1) + " levels; live sessions run models of one or two levels "
                + "so far: run it offline with simulate, export or figures";
    }

    /** Why a deep model cannot run live with this source or in continuous time, or null when it can. */
    public static String whyNotLiveDeep(GenerativeModel model, SourceType source, boolean continuous) {
        if (model == null || model.subordinate() == null) return null;
        if (source != SourceType.GENERATIVE)
            return "source.type: is " + source.label() + ", but a deep (hierarchical) model runs live with the "
                    + "generative source only so far (its lower level samples its own outcomes)";
        if (continuous)
            return "continuous: a deep (hierarchical) model runs live in discrete time only so far; leave out continuous";
        return null;
    }

    /** The summary served by GET /api/models. */
    public static Map<String, Object> describe(Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("origin", e.origin());
        if (e.model() == null) {
            m.put("error", e.error());
            return m;
        }
        GenerativeModel model = e.model();
        m.putAll(describe(model));
        return m;
    }

    public static Map<String, Object> describe(GenerativeModel model) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> factors = new ArrayList<>();
        for (Factor f : model.factors())
            factors.add(Map.of("name", f.name(), "states", f.states(), "controls", f.controls()));
        List<Object> modalities = new ArrayList<>();
        for (Modality g : model.modalities()) modalities.add(Map.of("name", g.name(), "outcomes", g.outcomes()));
        m.put("factors", factors);
        m.put("modalities", modalities);
        m.put("policies", model.policyCount());
        m.put("T", model.epochs());
        return m;
    }

    /** Lower-cased outcome names, for matching ingest messages that name outcomes. */
    static String key(String s) {
        return s.trim().toLowerCase(Locale.ROOT);
    }
}
