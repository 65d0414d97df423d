package org.neuroflux.experiment;

/**
 * What one agent did in one trial under one scheme: the row of the experiment CSV.
 *
 * @param agent               1-based agent
 * @param trial               1-based trial
 * @param scheme              scheme label
 * @param infoLength          the authors' per-trial score (cat_inf_length), total
 * @param infoLengthPerFactor the same per factor
 * @param states              true states [factor][epoch], 0-based
 * @param actions             actions [factor][epoch], 0-based
 * @param outcomes            outcomes [modality][epoch], 0-based
 * @param hit                 the paradigm's success criterion
 * @param learnedInitialCounts d after this trial's learning, or null
 * @param policyPosteriorEpoch1 the policy posterior at the end of epoch 1 (SPM's R(:,1))
 * @param finalBeliefs        X[f] at the last time point at the end of the trial
 */
public record AgentTrial(int agent, int trial, String scheme, double infoLength, double[] infoLengthPerFactor,
                         int[][] states, int[][] actions, int[][] outcomes, boolean hit, double[][] learnedInitialCounts,
                         double[] policyPosteriorEpoch1, double[][] finalBeliefs) {}
