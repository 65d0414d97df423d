/**
 * PNG figures of synthesised electrophysiology in the style of SPM's plotting routines
 * ({@code spm_MDP_VB_LFP}, {@code spm_MDP_VB_ERP}): unit-by-time firing-rate image, LFP traces,
 * time-frequency with theta phase, dopamine bars, a spike raster, the mismatch difference wave, and
 * information length per trial for both schemes. Drawn with JFreeChart, headless.
 */
package org.neuroflux.figure;
