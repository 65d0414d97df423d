package org.neuroflux.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.neuroflux.config.NeurofluxConfig;
import org.neuroflux.dynamics.IntegrationMode;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.ModelProblem;
import org.neuroflux.model.ModelValidationException;
import org.neuroflux.signal.Timebase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a POST /api/sessions body into a {@link SessionSpec}, collecting every problem (400).
 * Defaults make {@code {"model": "tmaze"}} (or even {@code {}}) enough: both schemes, generative
 * source, real-time pacing from the configuration, SPM's solver options, a random seed.
 * Blocking (a replay source may read a recording): call off the event loop.
 */
public final class SessionRequests {
    private static final List<String> FIELDS =
            List.of("model", "schemes", "source", "pacing", "continuous", "seed", "solver", "mapping");
    private static final int MAX_ITERATIONS = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(SessionRequests.class);
    private final ModelCatalog catalog;
    private final NeurofluxConfig config;
    private final SecureRandom seeds = new SecureRandom();

    public SessionRequests(ModelCatalog catalog, NeurofluxConfig config) {
        this.catalog = catalog;
        this.config = config;
    }

    public SessionSpec parse(JsonNode body) {
        List<String> problems = new ArrayList<>();
        boolean tooLarge = false;
        if (body == null || !body.isObject()) throw new BadRequestException("request body must be a JSON object");
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f))
                problems.add((f.length() > 64 ? f.substring(0, 64) + "..." : f) + ": unknown field (known: "
                        + String.join(", ", FIELDS) + ")");
        }
        // model
        GenerativeModel model = null;
        String modelName = "tmaze";
        JsonNode m = body.get("model");
        if (m == null || m.isTextual()) {
            if (m != null) modelName = m.asText();
            ModelCatalog.Entry e = catalog.entry(modelName);
            if (e == null) problems.add("model: no model named '" + modelName + "' (GET /api/models lists them)");
            else if (e.model() == null) problems.add("model: '" + modelName + "' failed to load: " + e.error());
            else model = e.model();
        } else if (m.isObject()) {
            modelName = "inline";
            try {
                model = ModelCatalog.inline(m, config.limits().modelLimits());
            } catch (ModelValidationException ex) {
                for (ModelProblem p : ex.problems()) {
                    problems.add("model" + (p.path().isEmpty() ? "" : "." + p.path()) + ": " + p.message());
                }
                tooLarge |= ex.tooLarge();
            } catch (RuntimeException ex) { // a reader bug: logged with its trace, never echoed to the client
                LOG.error("inline model could not be read", ex);
                problems.add("model: the inline model could not be read (server error, logged)");
            }
        } else {
            problems.add("model: must be a model name or an inline model object");
        }
        String notLive = model == null ? null : ModelCatalog.whyNotLive(model);
        if (notLive != null) {
            problems.add("model: '" + modelName + "' " + notLive);
            model = null;
        }
        // schemes
        List<Scheme> schemes = new ArrayList<>();
        JsonNode s = body.get("schemes");
        if (s == null) {
            schemes.add(Scheme.ACTIVE_INFERENCE);
            schemes.add(Scheme.NATURAL_GRADIENT);
        } else if (!s.isArray() || s.isEmpty()) {
            problems.add("schemes: must be a non-empty list of " + Scheme.labels());
        } else {
            for (JsonNode n : s) {
                try {
                    Scheme sc = Scheme.parse(n.asText());
                    if (schemes.contains(sc)) problems.add("schemes: '" + n.asText() + "' listed twice");
                    else schemes.add(sc);
                } catch (IllegalArgumentException ex) {
                    problems.add("schemes: " + ex.getMessage());
                }
            }
        }
        // solver
        SolverOptions options = SolverOptions.spm();
        JsonNode solver = body.get("solver");
        if (solver != null) {
            if (!solver.isObject()) problems.add("solver: must be an object {preset, iterations}");
            else {
                known(solver, "solver", List.of("preset", "iterations"), problems);
                String preset = solver.path("preset").asText("spm");
                if (preset.equals("nat3")) options = SolverOptions.nat3();
                else if (!preset.equals("spm")) problems.add("solver.preset: must be spm or nat3, was " + preset);
                if (solver.has("iterations")) {
                    JsonNode it = solver.get("iterations");
                    if (!it.canConvertToInt()
                            || !it.isIntegralNumber()
                            || it.asInt() < 2
                            || it.asInt() > MAX_ITERATIONS)
                        problems.add("solver.iterations: must be an integer in 2.." + MAX_ITERATIONS + ", was " + it);
                    else options = options.withIterations(it.asInt());
                }
            }
        }
        // pacing
        double iterationMs = config.pacing().iterationMs();
        JsonNode pacing = body.get("pacing");
        if (pacing != null) {
            JsonNode it = pacing.get("iterationMs");
            if (pacing.isObject()) known(pacing, "pacing", List.of("iterationMs"), problems);
            if (!pacing.isObject() || it == null) problems.add("pacing: must be {iterationMs: number | \"max\"}");
            else if (it.isTextual() && it.asText().equals("max")) iterationMs = 0;
            else if (!it.isNumber() || !(it.asDouble() >= 0.05) || it.asDouble() > 60_000)
                problems.add(
                        "pacing.iterationMs: must be \"max\" or a number of milliseconds in [0.05, 60000], was " + it);
            else iterationMs = it.asDouble();
        }
        // seed
        long seed = seeds.nextLong() >>> 11;
        JsonNode sd = body.get("seed");
        if (sd != null) {
            if (!sd.isIntegralNumber() || !sd.canConvertToLong()) problems.add("seed: must be an integer, was " + sd);
            else seed = sd.asLong();
        }
        // mapping
        ValueMapping mapping = null;
        JsonNode mp = body.get("mapping");
        if (mp != null && model != null) mapping = mapping(mp, model, problems);
        // source
        SourceType source = SourceType.GENERATIVE;
        List<Observation> replay = List.of();
        boolean loop = false;
        JsonNode src = body.get("source");
        if (src != null) {
            if (!src.isObject() || !src.has("type"))
                problems.add("source: must be {type: generative | client | replay, ...}");
            else {
                known(src, "source", List.of("type", "loop", "observations", "recording"), problems);
                if (src.has("loop") && !src.get("loop").isBoolean())
                    problems.add("source.loop: must be true or false, was "
                            + ObservationDecoder.abbreviate(src.get("loop")));
                try {
                    source = SourceType.parse(src.get("type").asText());
                } catch (IllegalArgumentException ex) {
                    problems.add("source.type: " + ex.getMessage());
                }
                loop = src.path("loop").asBoolean(false);
                if (source == SourceType.REPLAY && model != null) replay = replay(src, model, mapping, problems);
            }
        }
        // continuous mode: the solver samples the ODE flow at the requested rate (ContinuousSampling)
        ContinuousSampling continuous = continuous(body.get("continuous"), options.iterations(), problems);
        if (continuous != null) {
            // in continuous time natural gradient is active inference's flow; the Euclidean flow needs a fixed step
            if (s == null) {
                schemes.clear();
                schemes.add(Scheme.ACTIVE_INFERENCE);
            }
            if (schemes.contains(Scheme.NATURAL_GRADIENT))
                problems.add(
                        "schemes: natural-gradient has no continuous-time flow of its own: its step is the active-inference flow "
                                + "to O(1/tau^2), so a continuous session integrates that flow; list active-inference (and euclidean) instead");
            if (schemes.contains(Scheme.EUCLIDEAN) && continuous.mode().method() != IntegrationMode.Method.FIXED_RK4)
                problems.add("continuous.method: " + SolverOptions.EUCLIDEAN_NEEDS_FIXED_STEP
                        + "; give method \"rk4\" to run euclidean");
            int ni = options.iterations();
            options = options.withIterations(continuous.samplesPerEpoch())
                    .withIntegration(continuous.mode())
                    .withSamplesPerIteration(continuous.samplesPerIteration());
            if (model != null)
                model = model.withParameters(model.parameters()
                        .withTau(continuous.scaledTau(model.parameters().tau())));
            // pacing.iterationMs stays per 1/64 s iteration (its speed factor); a frame is one sample
            iterationMs = iterationMs * ni / continuous.samplesPerEpoch();
            if (iterationMs > 0 && iterationMs < 0.05)
                problems.add("pacing.iterationMs: " + continuous.sampleRateHz()
                        + " samples per second at this pacing is one frame every " + iterationMs
                        + " ms, below the 0.05 ms minimum");
        }
        String deepProblem = ModelCatalog.whyNotLiveDeep(model, source, continuous != null);
        if (deepProblem != null) problems.add(deepProblem);
        if (model != null) {
            String iterations = config.limits().modelLimits().iterationsProblem(model.epochs(), options.iterations());
            if (iterations != null) {
                problems.add("solver.iterations: " + iterations);
                tooLarge = true;
            }
        }
        if (!problems.isEmpty()) throw new BadRequestException(tooLarge ? 413 : 400, problems);
        return new SessionSpec(
                modelName,
                model,
                schemes,
                options,
                source,
                replay,
                loop,
                iterationMs,
                seed,
                mapping,
                false,
                continuous);
    }

    /** Refuses fields an object does not know, listing the ones it does. */
    private static void known(JsonNode object, String path, List<String> allowed, List<String> problems) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                problems.add(path + "." + (f.length() > 64 ? f.substring(0, 64) + "..." : f)
                        + ": unknown field (known: " + String.join(", ", allowed) + ")");
            }
        }
    }

    private static ContinuousSampling continuous(JsonNode cont, int iterationsPerEpoch, List<String> problems) {
        if (cont == null || cont.isNull()) return null;
        JsonNode hz = cont.isObject() ? cont.get("sampleRateHz") : null;
        if (hz == null || !hz.isNumber() || !(hz.asDouble() > 0) || hz.asDouble() > 100_000) {
            problems.add("continuous.sampleRateHz: must be a number in (0, 100000]");
            return null;
        }
        for (Iterator<String> it = cont.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("sampleRateHz") && !f.equals("method"))
                problems.add("continuous." + f + ": unknown field (known: sampleRateHz, method)");
        }
        String method = cont.path("method").asText("adaptive");
        IntegrationMode mode;
        if (method.equals("adaptive")) mode = IntegrationMode.adaptive();
        else if (method.equals("rk4")) mode = IntegrationMode.fixedRk4(1); // one classical RK4 step per sample
        else {
            problems.add("continuous.method: must be adaptive or rk4, was " + method);
            return null;
        }
        double rate = hz.asDouble();
        int samples = ContinuousSampling.samplesPerEpoch(iterationsPerEpoch, rate);
        double epochSeconds = iterationsPerEpoch * Timebase.SPM_ITERATION_SECONDS;
        if (samples < 2 || samples > MAX_ITERATIONS) {
            problems.add("continuous.sampleRateHz: " + rate + " Hz gives " + samples + " samples per epoch of "
                    + epochSeconds * 1000 + " ms; must give 2.." + MAX_ITERATIONS + " (" + 2 / epochSeconds + ".."
                    + MAX_ITERATIONS / epochSeconds + " Hz)");
            return null;
        }
        return new ContinuousSampling(rate, iterationsPerEpoch, samples, mode);
    }

    private static ValueMapping mapping(JsonNode mp, GenerativeModel model, List<String> problems) {
        if (!mp.isObject() || !"gaussian".equals(mp.path("type").asText())) {
            problems.add("mapping: must be {type: gaussian, modalities: [{means: [...], sds: [...]}, ...]}");
            return null;
        }
        known(mp, "mapping", List.of("type", "modalities"), problems);
        JsonNode mods = mp.get("modalities");
        int G = model.modalityCount();
        if (mods == null || !mods.isArray() || mods.size() != G) {
            problems.add("mapping.modalities: must list " + G + " modalities");
            return null;
        }
        List<ValueMapping.Gaussians> list = new ArrayList<>();
        for (int g = 0; g < G; g++) {
            int no = model.modalities().get(g).outcomeCount();
            if (mods.get(g).isObject())
                known(mods.get(g), "mapping.modalities[" + g + "]", List.of("means", "sds"), problems);
            double[] means =
                    numbers(mods.get(g).get("means"), no, "mapping.modalities[" + g + "].means", problems, false);
            double[] sds = numbers(mods.get(g).get("sds"), no, "mapping.modalities[" + g + "].sds", problems, true);
            list.add(new ValueMapping.Gaussians(means, sds));
        }
        return new ValueMapping(list);
    }

    private static double[] numbers(JsonNode n, int count, String path, List<String> problems, boolean positive) {
        double[] out = new double[count];
        if (n == null || !n.isArray() || n.size() != count) {
            problems.add(path + ": must be a list of " + count + " numbers (one per outcome)");
            return out;
        }
        for (int i = 0; i < count; i++) {
            double v = n.get(i).asDouble(Double.NaN);
            if (!n.get(i).isNumber() || !Double.isFinite(v) || (positive && !(v > 0)))
                problems.add(path + "[" + i + "]: must be a finite" + (positive ? " positive" : "") + " number");
            out[i] = v;
        }
        return out;
    }

    private List<Observation> replay(JsonNode src, GenerativeModel model, ValueMapping mapping, List<String> problems) {
        ObservationDecoder decoder = new ObservationDecoder(model, mapping);
        List<Observation> out = new ArrayList<>();
        if (src.has("observations") == src.has("recording")) {
            problems.add(
                    "source: a replay needs exactly one of observations (inline list) or recording (a name in the recordings directory)");
            return out;
        }
        if (src.has("observations")) {
            JsonNode list = src.get("observations");
            if (!list.isArray() || list.isEmpty()) {
                problems.add("source.observations: must be a non-empty list of observation messages");
                return out;
            }
            for (int i = 0; i < list.size(); i++) {
                try {
                    out.add(decoder.decode(list.get(i)));
                } catch (ObservationDecoder.Rejected r) {
                    problems.add("source.observations[" + i + "]: " + r.getMessage());
                }
            }
            return out;
        }
        String name = src.get("recording").asText();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,100}") || name.contains("..")) {
            problems.add("source.recording: must be a plain file name in the recordings directory, was '" + name + "'");
            return out;
        }
        Path dir = Path.of(config.server().recordingsDir()).toAbsolutePath().normalize();
        Path file = dir.resolve(name).normalize();
        if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
            problems.add("source.recording: no recording named '" + name + "'");
            return out;
        }
        try {
            out.addAll(RecordingFiles.observations(
                    Files.readString(file), decoder, warning -> LOG.warn("recording '{}': {}", name, warning)));
        } catch (IOException | IllegalArgumentException e) {
            problems.add("source.recording: " + e.getMessage());
        }
        if (out.isEmpty() && problems.isEmpty()) problems.add("source.recording: '" + name + "' holds no observations");
        return out;
    }
}
