package org.neuroflux.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neuroflux.dynamics.BatchSolver;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.model.Factor;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.Modality;

/**
 * Where a batchable session finds its {@link Cohort}: cohorts grouped by what a batch needs its
 * lanes to share (the model's shape, the schemes' solver options, the pacing period). A session
 * joins the first cohort of its group that has room and starts its next trial within the join
 * wait; otherwise it starts a new cohort, ticked from the clock's next tick.
 */
final class Cohorts {
    private final PacingClock pacer;
    private final SessionClock clock;
    private final BatchingSettings settings;
    private final Map<Key, List<Cohort>> groups = new HashMap<>();
    private final Map<Cohort, Key> keys = new HashMap<>();

    /** What the sessions of one cohort share: the shape of their models, their schemes' options, their period. */
    private record Key(
            List<Integer> states,
            List<Integer> controls,
            List<Integer> outcomes,
            int epochs,
            int policies,
            int policySteps,
            boolean movingPolicies,
            boolean learnsLikelihood,
            boolean learnsInitialStates,
            List<SolverOptions> options,
            long periodNanos) {
        static Key of(SessionSpec spec, long periodNanos) {
            GenerativeModel m = spec.model();
            return new Key(
                    m.factors().stream().map(Factor::stateCount).toList(),
                    m.factors().stream().map(Factor::controlCount).toList(),
                    m.modalities().stream().map(Modality::outcomeCount).toList(),
                    m.epochs(),
                    m.policyCount(),
                    m.policySteps(),
                    m.movingPolicies(),
                    m.learnsLikelihood(),
                    m.learnsInitialStates(),
                    schemeOptions(spec),
                    periodNanos);
        }
    }

    Cohorts(PacingClock pacer, SessionClock clock, BatchingSettings settings) {
        this.pacer = pacer;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Whether a session of this spec steps in a cohort: batching is on, the session is real-time
     * with the generative source, and the batched solver runs every one of its schemes.
     */
    boolean batches(SessionSpec spec) {
        if (!settings.enabled() || spec.maxPacing() || spec.source() != SourceType.GENERATIVE) return false;
        if (spec.framesPerIteration() != 1) return false; // continuous sessions sample between iterations
        for (SolverOptions o : schemeOptions(spec)) if (BatchSolver.unsupported(spec.model(), o) != null) return false;
        return true;
    }

    /** Places {@code session} in a cohort of its group (a new one if none can take it) and returns it. */
    synchronized Cohort join(Session session, long periodNanos) {
        Key key = Key.of(session.spec(), periodNanos);
        long maxWaitTicks = settings.joinWait().toNanos() / periodNanos;
        List<Cohort> group = groups.computeIfAbsent(key, k -> new ArrayList<>());
        for (Cohort c : group) if (c.offer(session, maxWaitTicks)) return c;
        Cohort c = new Cohort(session.spec().model(), key.options(), settings.lanes(), clock, this);
        c.offer(session, Long.MAX_VALUE);
        group.add(c);
        keys.put(c, key);
        pacer.add(c, periodNanos);
        return c;
    }

    /** A cohort left without sessions stops ticking and is forgotten. */
    synchronized void retired(Cohort cohort) {
        Key key = keys.remove(cohort);
        if (key == null) return;
        List<Cohort> group = groups.get(key);
        group.remove(cohort);
        if (group.isEmpty()) groups.remove(key);
        pacer.remove(cohort, key.periodNanos());
    }

    /** A cohort's lanes changed (at a trial start): the clock balances its batches again. */
    synchronized void reweighed(Cohort cohort) {
        Key key = keys.get(cohort);
        if (key != null) pacer.reweigh(key.periodNanos());
    }

    /** Cohorts ticking now. */
    synchronized int count() {
        return keys.size();
    }

    private static List<SolverOptions> schemeOptions(SessionSpec spec) {
        List<SolverOptions> options = new ArrayList<>();
        for (Scheme s : spec.schemes()) options.add(spec.options().withScheme(s));
        return options;
    }
}
