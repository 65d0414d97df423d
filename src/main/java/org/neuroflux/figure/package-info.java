/**
 * PNG figures of synthesised electrophysiology in the style of SPM's plotting routines
 * ({@code spm_MDP_VB_LFP}, {@code spm_MDP_VB_ERP}): unit-by-time firing-rate image, LFP traces,
 * time-frequency with theta phase, dopamine bars, a spike raster, the mismatch difference wave, and
 * information length per trial for both schemes. Drawn with JFreeChart, headless. May depend on
 * {@code export} (the recordings it draws), {@code signal}, {@code dynamics}, {@code model} and
 * {@code random}; nothing depends on it but the command line.
 */
package org.neuroflux.figure;
