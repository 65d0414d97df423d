/**
 * The belief engine: SPM's trial algorithm (spm_MDP_VB_X.m r7487) with the active-inference and
 * natural-gradient schemes, the continuous-time belief flow they both discretise ({@link
 * org.neuroflux.dynamics.BeliefFlow}, integrated by {@link org.neuroflux.dynamics.Rk4Stepper} or
 * {@link org.neuroflux.dynamics.DormandPrinceIntegrator}; see docs/continuous-time.md),
 * information length, and Dirichlet learning (docs/algorithm.md). May depend on {@code math},
 * {@code model} and {@code random} only; plain Java, no Reactor, Netty or Micrometer, so it runs
 * offline, under JMH and inside the streaming pipeline alike.
 */
package org.neuroflux.dynamics;
