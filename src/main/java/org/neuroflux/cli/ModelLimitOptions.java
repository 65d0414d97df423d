package org.neuroflux.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuroflux.cli.UserErrors.UserException;
import org.neuroflux.model.ModelLimits;
import picocli.CommandLine.Option;

/** {@code --model-limit NAME=VALUE}: raises (or lowers) a {@link ModelLimits} bound for one run. */
final class ModelLimitOptions {
    private static final List<String> NAMES = List.of(
            "maxEpochs",
            "maxStates",
            "maxOutcomes",
            "maxPolicies",
            "maxFactors",
            "maxModalities",
            "maxElements",
            "maxIterationsPerTrial");

    @Option(
            names = "--model-limit",
            paramLabel = "NAME=VALUE",
            description =
                    "Change a model size limit (repeatable): maxEpochs (default 1000), maxStates (4096), maxOutcomes (4096), "
                            + "maxPolicies (10000), maxFactors (16), maxModalities (16), maxElements (20000000), "
                            + "maxIterationsPerTrial (1048576, T x iterations per epoch). A model beyond a limit is refused (exit 2) "
                            + "before anything is allocated.")
    Map<String, String> given = new LinkedHashMap<>();

    /** The limits: the defaults with the given ones replaced. */
    ModelLimits limits() {
        ModelLimits d = ModelLimits.DEFAULTS;
        long[] v = {
            d.maxEpochs(),
            d.maxStates(),
            d.maxOutcomes(),
            d.maxPolicies(),
            d.maxFactors(),
            d.maxModalities(),
            d.maxElements(),
            d.maxIterationsPerTrial()
        };
        for (Map.Entry<String, String> e : given.entrySet()) {
            int i = NAMES.indexOf(e.getKey());
            if (i < 0)
                throw new UserException("--model-limit: unknown limit '" + e.getKey() + "'; expected one of "
                        + String.join(", ", NAMES));
            long value;
            try {
                value = Long.parseLong(e.getValue().trim());
            } catch (NumberFormatException ex) {
                throw new UserException(
                        "--model-limit " + e.getKey() + ": '" + e.getValue() + "' is not a whole number");
            }
            long max = i < 6 ? Integer.MAX_VALUE : Long.MAX_VALUE;
            if (value < 1 || value > max)
                throw new UserException("--model-limit " + e.getKey() + ": must be in 1.." + max + ", was " + value);
            v[i] = value;
        }
        return new ModelLimits((int) v[0], (int) v[1], (int) v[2], (int) v[3], (int) v[4], (int) v[5], v[6], v[7]);
    }
}
