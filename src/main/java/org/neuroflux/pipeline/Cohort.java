package org.neuroflux.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.neuroflux.dynamics.BatchSolver;
import org.neuroflux.dynamics.EpochResults;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.UniformSource;

/**
 * Real-time generative sessions of one model shape and one set of solver options, stepped in
 * lockstep: one {@link BatchSolver} per scheme runs every member's epoch at once, each member a
 * lane with its own model values, learned counts and random stream (docs/architecture.md, "Batched
 * sessions"). The cohort, not its members, is what the {@link PacingClock} ticks: on a tick that
 * starts an epoch it runs the batches, then it ticks every member, which turns its lanes into rows
 * and emits one frame. Members therefore never drift apart, and a tick the clock skips is skipped
 * for all of them.
 *
 * <p>Membership changes only between trials, where a batch starts afresh: sessions that asked to
 * join start then, and lanes of sessions that left are dropped. A member leaves at once when it
 * cannot keep the cohort's step (a lossless subscriber holds it back) or closes; it then replays its
 * trial on solvers of its own ({@link SchemeEnsemble#leaveBatch}) and ticks alone. Its lane runs on
 * unread until the trial ends. Not thread-safe except {@link #offer}: confined to the clock's worker
 * running it.
 */
final class Cohort implements PacingClock.Paced {
    private final GenerativeModel shape;
    private final SolverOptions[] options;
    private final int capacity;
    private final int ni;
    private final int epochs;
    private final SessionClock clock;
    private final Cohorts directory;
    private final AtomicBoolean busy = new AtomicBoolean();

    // guarded by this: sessions that start with the next trial
    private final List<Session> joining = new ArrayList<>();
    private boolean retired;
    private volatile int lanesInUse;
    private volatile long ticks;
    private volatile long nextTrialTick = 1; // the tick (count) on which the next trial starts

    // confined to the ticking worker
    private volatile Session[] members = new Session[0]; // volatile: missed() may read it from another worker
    private volatile boolean[] present = new boolean[0];
    private BatchSolver[] batches;
    private GenerativeModel[] models;
    private TrialFixture[] fixtures;
    private UniformSource[] streams;
    private final long[] nanosPerLane;
    private int cursor;

    Cohort(GenerativeModel shape, List<SolverOptions> options, int capacity, SessionClock clock, Cohorts directory) {
        this.shape = shape;
        this.options = options.toArray(SolverOptions[]::new);
        this.capacity = capacity;
        this.ni = options.get(0).iterations();
        this.epochs = shape.epochs();
        this.clock = clock;
        this.directory = directory;
        this.nanosPerLane = new long[this.options.length];
        this.cursor = ni; // the first tick starts a trial
    }

    /**
     * Asks to run {@code session} from the next trial: refused when the cohort is full, retired, or
     * its next trial starts more than {@code maxWaitTicks} ticks from now.
     */
    synchronized boolean offer(Session session, long maxWaitTicks) {
        if (retired || lanesInUse + joining.size() >= capacity) return false;
        if (nextTrialTick - ticks > maxWaitTicks) return false;
        joining.add(session);
        return true;
    }

    @Override
    public int weight() {
        return Math.max(1, lanesInUse);
    }

    @Override
    public void tick(long dueNanos) {
        // the clock's batches are rebuilt when members come and go: a new batch may fire while the old one still runs
        if (!busy.compareAndSet(false, true)) {
            missed();
            return;
        }
        try {
            ticks++;
            if (cursor >= ni) {
                if ((batches == null || !batches[0].hasNextEpoch()) && !startTrial()) return;
                runEpoch();
                cursor = 0;
            }
            Session[] m = members;
            for (int b = 0; b < m.length; b++) if (present[b]) m[b].tick(dueNanos);
            cursor++;
        } finally {
            busy.set(false);
        }
    }

    @Override
    public void missed() {
        Session[] m = members;
        for (int b = 0; b < m.length; b++) if (present[b]) m[b].missed();
    }

    /** {@code session} no longer follows the cohort (it closed, or ticks alone from now); on the ticking worker. */
    void leave(Session session) {
        for (int b = 0; b < members.length; b++) if (members[b] == session) present[b] = false;
    }

    /**
     * Ends the trial the batches ran (each present lane's learned counts go to its session), takes
     * in the sessions that asked to join, drops the lanes that left and starts the next trial.
     * Returns false when no session is left: the cohort is retired.
     */
    private boolean startTrial() {
        List<Session> next = new ArrayList<>(members.length);
        for (int b = 0; b < members.length; b++) {
            if (!present[b]) continue;
            SchemeEnsemble schemes = members[b].schemes();
            for (int e = 0; e < batches.length; e++) schemes.finishBatchedTrial(e, batches[e].finishTrial(b));
            next.add(members[b]);
        }
        synchronized (this) {
            next.addAll(joining);
            joining.clear();
            if (next.isEmpty()) retired = true;
            lanesInUse = next.size();
            nextTrialTick = ticks + (long) epochs * ni;
        }
        if (next.isEmpty()) {
            members = new Session[0];
            present = new boolean[0];
            batches = null;
            directory.retired(this);
            return false;
        }
        int lanes = next.size();
        if (batches == null || batches[0].lanes() != lanes) {
            directory.reweighed(this);
            batches = new BatchSolver[options.length];
            for (int e = 0; e < options.length; e++) batches[e] = new BatchSolver(shape, options[e], lanes);
            models = new GenerativeModel[lanes];
            fixtures = new TrialFixture[lanes];
            streams = new UniformSource[lanes];
            TrialFixture free = TrialFixture.free(shape.factorCount(), shape.modalityCount(), epochs);
            Arrays.fill(fixtures, free);
        }
        members = next.toArray(Session[]::new);
        present = new boolean[lanes];
        Arrays.fill(present, true);
        for (int e = 0; e < batches.length; e++) {
            for (int b = 0; b < lanes; b++) {
                models[b] = members[b].schemes().trialModel(e);
                streams[b] = members[b].schemes().random(e);
            }
            batches[e].startTrial(models, fixtures, streams);
        }
        EpochResults[] lanesOfMember = new EpochResults[batches.length];
        for (int b = 0; b < lanes; b++) {
            for (int e = 0; e < batches.length; e++) lanesOfMember[e] = batches[e].lane(b);
            members[b].schemes().batchedTrialStarted(lanesOfMember);
        }
        return true;
    }

    /**
     * Runs the next epoch of every lane: scheme 0's batch samples each lane's world, the other
     * schemes get the same outcomes, as {@link SchemeEnsemble#runEpoch} does for one session.
     */
    private void runEpoch() {
        BatchSolver first = batches[0];
        int t = first.nextEpoch();
        int lanes = first.lanes();
        long start = clock.nanos();
        first.runEpoch();
        long end = clock.nanos();
        nanosPerLane[0] = (end - start) / lanes;
        int modalities = shape.modalityCount();
        for (int e = 1; e < batches.length; e++) {
            start = end;
            for (int b = 0; b < lanes; b++) {
                for (int g = 0; g < modalities; g++) batches[e].supplyOutcome(b, g, first.outcome(b, g, t));
            }
            batches[e].runEpoch();
            end = clock.nanos();
            nanosPerLane[e] = (end - start) / lanes;
        }
        for (int b = 0; b < members.length; b++)
            if (present[b]) members[b].schemes().solvedInBatch(nanosPerLane);
    }
}
