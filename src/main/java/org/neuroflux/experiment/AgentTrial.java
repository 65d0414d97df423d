package org.neuroflux.experiment;

/**
 * What one agent did in one trial under one scheme and solver setting: the row of the experiment CSV.
 *
 * @param agent               1-based agent
 * @param trial               1-based trial
 * @param scheme              scheme label
 * @param solver              the solver settings the scheme ran with ({@link ExperimentRunner#settings}: nat3, spm, ...)
 * @param infoLength          the authors' per-trial score (cat_inf_length of the stored iterates), total
 * @param infoLengthPerFactor the same per factor
 * @param infoLengthWholePath cat_inf_length of the whole path (each epoch's first step counted), total
 * @param infoLengthWholePathPerFactor the same per factor
 * @param efficiency          d_FR / L of the trial's epochs (current time point, stored iterates: first to last)
 * @param efficiencyWholePath d_FR / L of the whole path (each epoch's start to its last iterate)
 * @param states              true states [factor][epoch], 0-based
 * @param actions             actions [factor][epoch], 0-based
 * @param outcomes            outcomes [modality][epoch], 0-based
 * @param hit                 the paradigm's success criterion
 * @param learnedInitialCounts d after this trial's learning, or null
 * @param policyPosteriorEpoch1 the policy posterior at the end of epoch 1 (SPM's R(:,1))
 * @param finalBeliefs        X[f] at the last time point at the end of the trial
 */
public record AgentTrial(
        int agent,
        int trial,
        String scheme,
        String solver,
        double infoLength,
        double[] infoLengthPerFactor,
        double infoLengthWholePath,
        double[] infoLengthWholePathPerFactor,
        double efficiency,
        double efficiencyWholePath,
        int[][] states,
        int[][] actions,
        int[][] outcomes,
        boolean hit,
        double[][] learnedInitialCounts,
        double[] policyPosteriorEpoch1,
        double[][] finalBeliefs) {}
