package org.measureflow.gradientflow.snapshots;

import java.util.ArrayList;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.sinkhorn.SinkhornResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.ot.unbalanced.UnbalancedSinkhorn;

/**
 * Cell-to-cell transitions between consecutive snapshots of a {@link SnapshotSeries} by entropic optimal transport,
 * with a growth rate per cell (survey &sect;5.4; Waddington-OT, Schiebinger et al. 2019, Cell 176).
 *
 * <p><b>The problem of one interval.</b> Let snapshot \( k \) be \( \sum_i w_i\delta_{x_i} \) of total mass \( M_k \)
 * and snapshot \( k+1 \) be \( \sum_j v_j \delta_{y_j} \) of mass \( M_{k+1} \), \( \Delta t = t_{k+1} - t_k \),
 * and let \( g_i > 0 \) be a prior growth rate of cell \( i \) (the Waddington-OT convention: a unit of mass at
 * \( x_i \) has \( g_i^{\Delta t} \) units of descendants after \( \Delta t \)). In units of \( M_k \) the source
 * and target marginals are
 * \[ a_i = w_i\, g_i^{\Delta t}, \qquad b_j = \frac{M_{k+1}}{M_k}\, v_j , \]
 * and the coupling solves the unbalanced entropic problem (survey &sect;4.2, eq. 10 with KL-relaxed marginals)
 * \[ \min_{P \ge 0}\ \langle C, P\rangle + \varepsilon\,\mathrm{KL}(P\mid a\otimes b)
 *    + \rho_a\,\mathrm{KL}(P\mathbf 1\mid a) + \rho_b\,\mathrm{KL}(P^\top\mathbf 1\mid b), \qquad
 *    C_{ij} = |x_i - y_j|^2 , \]
 * run by {@link UnbalancedSinkhorn} with the epsilon, tolerance, iteration budget and parallelism of the
 * {@link SinkhornSolver} given. \( P_{ij} M_k \) is the mass at \( y_j \) at \( t_{k+1} \) descending from cell
 * \( i \). The relaxation \( \rho_a \) ({@link #withMarginalRelaxation(double)}) lets the row sums leave the prior
 * (growth and death); \( \rho_b \) ({@link #withTargetRelaxation(double)}, default \( \infty \): the observed
 * snapshot is matched exactly) lets the target marginal move. The refined growth rate of cell \( i \) is read from
 * the row sums,
 * \[ \hat g_i^{\Delta t} = \frac{(P\mathbf 1)_i}{w_i}, \]
 * and, as in Waddington-OT, the problem is solved again with \( a_i = w_i \hat g_i^{\Delta t} \) (the fitted row
 * sums) as the new prior, {@link #withGrowthRefinements(int)} times. An epsilon given relative to the data (for
 * instance {@code Epsilon.relativeToMeanCost}) is resolved again for each solve, against that solve's marginals, so
 * it moves slightly between refinements as the prior reweights the cells; give an absolute epsilon to keep it fixed.
 *
 * <p><b>Balanced transitions</b> (\( \rho_a = \rho_b = \infty \)): the marginals are the probability vectors
 * \( a_i \propto w_i g_i^{\Delta t} \) and \( v \), solved by the {@link SinkhornSolver} itself, and the plan in
 * mass units is \( M_{k+1} P \); the row sums are then imposed, so the growth rates are the prior ones rescaled to
 * the observed total growth \( M_{k+1}/M_k \), and refinements are skipped (they would change nothing).
 *
 * <p><b>Default prior</b>: the population's mean rate \( g_i = (M_{k+1}/M_k)^{1/\Delta t} \) for every cell, so
 * that the prior source mass equals the target mass and the relaxation only redistributes growth among cells.
 *
 * <p>Made by {@link #of(SinkhornSolver)} (the solver carries epsilon, in units of the squared distances, which has
 * no scale-free default). Defaults:
 * <ul>
 * <li>{@code marginalRelaxation} \( \rho_a = \infty \) (balanced unless set);</li>
 * <li>{@code targetRelaxation} \( \rho_b = \infty \) (the target snapshot is matched exactly);</li>
 * <li>{@code growthRefinements = 2} (three solves per interval when \( \rho_a \lt \infty \)).</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class SnapshotTransitions {
    private final SinkhornSolver solver;
    private final double rhoSource;
    private final double rhoTarget;
    private final int refinements;

    private SnapshotTransitions(SinkhornSolver solver, double rhoSource, double rhoTarget, int refinements) {
        this.solver = solver;
        this.rhoSource = rhoSource;
        this.rhoTarget = rhoTarget;
        this.refinements = refinements;
    }

    /**
     * Balanced transitions computed with {@code solver} (its epsilon is in units of the squared distances between
     * cells), with the other defaults of the class documentation.
     *
     * @param solver the entropic solver; its epsilon, tolerance, iteration budget and parallelism also configure the
     *               unbalanced solves
     * @return the configured transitions
     * @throws IllegalArgumentException if {@code solver} is null
     */
    public static SnapshotTransitions of(SinkhornSolver solver) {
        return new SnapshotTransitions(Arguments.notNull("solver", solver), Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY, 2);
    }

    /**
     * These transitions with another relaxation \( \rho_a \) of the source marginal, the one that carries growth:
     * transporting over a squared distance larger than about \( \rho_a \) costs more than creating or destroying mass.
     *
     * @param rho \( \rho_a > 0 \) in units of the squared distances, or {@code Double.POSITIVE_INFINITY} (the row
     *            sums are imposed: balanced when the target is exact too)
     * @return new transitions
     * @throws IllegalArgumentException if {@code rho} is not positive
     */
    public SnapshotTransitions withMarginalRelaxation(double rho) {
        return new SnapshotTransitions(solver, checkRho("rho", rho), rhoTarget, refinements);
    }

    /**
     * These transitions with another relaxation \( \rho_b \) of the target marginal (default infinity: the target
     * snapshot is matched exactly).
     *
     * @param rho \( \rho_b > 0 \) in units of the squared distances, or {@code Double.POSITIVE_INFINITY}
     * @return new transitions
     * @throws IllegalArgumentException if {@code rho} is not positive
     */
    public SnapshotTransitions withTargetRelaxation(double rho) {
        return new SnapshotTransitions(solver, rhoSource, checkRho("rho", rho), refinements);
    }

    /**
     * These transitions with another number of outer growth refinements: after the first solve of an interval, the
     * problem is solved again this many times with the fitted row sums as the new prior source marginal.
     *
     * @param refinements {@code >= 0}
     * @return new transitions
     * @throws IllegalArgumentException if {@code refinements < 0}
     */
    public SnapshotTransitions withGrowthRefinements(int refinements) {
        return new SnapshotTransitions(solver, rhoSource, rhoTarget, Arguments.nonNegative("refinements",
                refinements));
    }

    private static double checkRho(String name, double rho) {
        // +infinity is allowed: a hard marginal constraint
        return rho == Double.POSITIVE_INFINITY ? rho : Arguments.positive(name, rho);
    }

    /** The entropic solver (its epsilon, tolerance, iteration budget and parallelism). */
    public SinkhornSolver sinkhorn() {
        return solver;
    }

    /** \( \rho_a \), the relaxation of the source (growth) marginal ({@code +infinity}: imposed). */
    public double marginalRelaxation() {
        return rhoSource;
    }

    /** \( \rho_b \), the relaxation of the target marginal ({@code +infinity}: imposed). */
    public double targetRelaxation() {
        return rhoTarget;
    }

    /** The number of outer growth refinements. */
    public int growthRefinements() {
        return refinements;
    }

    /** Whether both marginals are imposed (balanced transitions). */
    private boolean balanced() {
        return rhoSource == Double.POSITIVE_INFINITY && rhoTarget == Double.POSITIVE_INFINITY;
    }

    /**
     * Fits the transitions of every interval \( [t_k, t_{k+1}] \) with the default prior (each cell at the
     * population's mean rate \( (M_{k+1}/M_k)^{1/\Delta t} \)).
     *
     * @param series the snapshots
     * @return the couplings, growth rates and convergence
     * @throws IllegalArgumentException if {@code series} is null, or (naming {@code series} and the two snapshots,
     *                                  with the solver's reason) if a solve rejects a pair of snapshots: squared
     *                                  distances beyond \( 10^{300} \), epsilon below \( 10^{-12} \) times their
     *                                  range, masses beyond the unbalanced solver's limits
     */
    public SnapshotTransitionsResult fit(SnapshotSeries series) {
        return fit(series, null, IterationObserver.none());
    }

    /**
     * {@link #fit(SnapshotSeries)} watched by an observer, called after every Sinkhorn iteration of every solve
     * with the iteration count summed over the solves so far and the current solve's error; returning
     * {@code false} stops the current solve and every later one after its first iteration (the result then reports
     * {@link Termination#STOPPED}).
     *
     * @throws IllegalArgumentException as {@link #fit(SnapshotSeries)}, or if {@code observer} is null
     */
    public SnapshotTransitionsResult fit(SnapshotSeries series, IterationObserver observer) {
        return fit(series, null, observer);
    }

    /**
     * {@link #fit(SnapshotSeries)} from prior growth rates: {@code priorGrowth.get(k)[i]} is \( g_i \) for cell
     * \( i \) of snapshot \( k \) (a unit of mass has \( g_i^{\Delta t} \) units of descendants after \( \Delta t
     * \)). The list has one array per interval (\( K-1 \)) or one per snapshot (\( K \); the last is checked but not
     * used); {@code null} means the default prior.
     *
     * @throws IllegalArgumentException as {@link #fit(SnapshotSeries)}, or if {@code priorGrowth} has a size other
     *                                  than \( K-1 \) or \( K \), a null or wrong-length array, an entry that is not
     *                                  finite and positive, or makes \( g_i^{\Delta t} \) overflow or every
     *                                  \( w_i g_i^{\Delta t} \) of a snapshot vanish
     */
    public SnapshotTransitionsResult fit(SnapshotSeries series, List<double[]> priorGrowth) {
        return fit(series, priorGrowth, IterationObserver.none());
    }

    /**
     * {@link #fit(SnapshotSeries, List)} watched by an observer (see {@link #fit(SnapshotSeries, IterationObserver)}).
     *
     * @throws IllegalArgumentException as {@link #fit(SnapshotSeries, List)}, or if {@code observer} is null
     */
    public SnapshotTransitionsResult fit(SnapshotSeries series, List<double[]> priorGrowth,
            IterationObserver observer) {
        Arguments.notNull("series", series);
        Arguments.notNull("observer", observer);
        int intervals = series.size() - 1;
        double[][] factors = priorFactors(series, priorGrowth);
        List<SinkhornResult> couplings = new ArrayList<>(intervals);
        double[] planMasses = new double[intervals];
        double[][] growth = new double[intervals][];
        Relay relay = new Relay(observer);
        UnbalancedSinkhorn unbalanced = balanced() ? null
                : UnbalancedSinkhorn.of(solver.epsilon(), rhoSource).withRhoTarget(rhoTarget)
                        .withTolerance(solver.tolerance()).withMaxIterations(solver.maxIterations())
                        .withParallel(solver.parallel());
        long iterations = 0;
        for (int k = 0; k < intervals; k++) {
            ParticleMeasure x = series.snapshot(k);
            ParticleMeasure y = series.snapshot(k + 1);
            double[] w = x.weights();
            double[] q = factors[k];
            double ratio = series.mass(k + 1) / series.mass(k);
            int solves = balanced() ? 1 : 1 + refinements;
            SinkhornResult result = null;
            double unit = balanced() ? series.mass(k + 1) : series.mass(k);
            for (int s = 0; s < solves; s++) {
                double[] a = new double[w.length];
                double sourceMass = 0;
                for (int i = 0; i < a.length; i++) {
                    a[i] = w[i] * q[i];
                    sourceMass += a[i];
                }
                ParticleMeasure source = ParticleMeasure.fromFlat(x.flatPoints(), x.dimension(), a);
                result = solve(unbalanced, source, sourceMass, y, ratio, relay, k);
                iterations += result.iterations();
                relay.offset = iterations;
                double[] rows = result.plan().apply(ones(y.size()));
                double scale = unit / series.mass(k);
                double[] next = new double[w.length];
                for (int i = 0; i < w.length; i++) {
                    // cells of weight zero keep their prior: their row sums carry no information
                    next[i] = w[i] > 0 ? rows[i] * scale / w[i] : q[i];
                }
                q = next;
            }
            couplings.add(result);
            planMasses[k] = unit;
            growth[k] = q;
        }
        return new SnapshotTransitionsResult(series, couplings, planMasses, growth,
                overall(couplings, iterations, relay.stopped));
    }

    /**
     * One solve of interval {@code k}; the solvers name their own arguments ({@code x}, {@code y}), so their
     * rejections are passed on naming the series and the two snapshots.
     */
    private SinkhornResult solve(UnbalancedSinkhorn unbalanced, ParticleMeasure source, double sourceMass,
            ParticleMeasure y, double targetMass, IterationObserver relay, int k) {
        try {
            return unbalanced == null ? solver.solve(source, y, relay)
                    : unbalanced.solve(source, sourceMass, y, targetMass, relay);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("series: the solve between snapshots " + k + " (x) and " + (k + 1)
                    + " (y) rejected them: " + e.getMessage(), e);
        }
    }

    /** The prior factors \( g_i^{\Delta t} \) per interval, validated. */
    private static double[][] priorFactors(SnapshotSeries series, List<double[]> priorGrowth) {
        int intervals = series.size() - 1;
        double[][] out = new double[intervals][];
        if (priorGrowth != null) {
            int count = priorGrowth.size();
            if (count != intervals && count != series.size()) {
                // a rule Arguments cannot state: one of two sizes
                throw new IllegalArgumentException("priorGrowth must hold " + intervals + " arrays (one per interval) "
                        + "or " + series.size() + " (one per snapshot), got " + count);
            }
            for (int k = 0; k < count; k++) {
                String name = "priorGrowth[" + k + "]";
                double[] g = Arguments.notNull(name, priorGrowth.get(k));
                Arguments.length(name, g.length, series.snapshot(k).size());
                Arguments.positive(name, g);
            }
        }
        for (int k = 0; k < intervals; k++) {
            double dt = series.time(k + 1) - series.time(k);
            int n = series.snapshot(k).size();
            double[] q = new double[n];
            if (priorGrowth == null) {
                java.util.Arrays.fill(q, series.mass(k + 1) / series.mass(k));
            } else {
                String name = "priorGrowth[" + k + "]";
                double[] g = priorGrowth.get(k);
                double[] w = series.snapshot(k).weights();
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    q[i] = Math.pow(g[i], dt);
                    sum += w[i] * q[i];
                }
                Arguments.finiteResult(name, "g^dt", q);
                Arguments.finiteResult(name, "the prior source mass", sum);
                if (!(sum > 0)) {
                    // a rule Arguments cannot state: the weighted sum of g^dt vanishes
                    throw new IllegalArgumentException(name + ": every w_i g_i^dt underflows to 0 (dt = " + dt
                            + "); the source marginal would be empty");
                }
            }
            out[k] = q;
        }
        return out;
    }

    /** The convergence of the last solve of every interval: iterations summed, the largest error, the worst end. */
    private Convergence overall(List<SinkhornResult> couplings, long iterations, boolean stopped) {
        double error = 0;
        Termination worst = Termination.CONVERGED;
        for (SinkhornResult r : couplings) {
            error = Math.max(error, r.error());
            if (!r.converged() && worst == Termination.CONVERGED) {
                worst = r.termination();
            }
        }
        if (stopped) {
            worst = Termination.STOPPED;
        }
        return new Convergence(iterations, error, solver.tolerance(), worst);
    }

    private static double[] ones(int m) {
        double[] v = new double[m];
        java.util.Arrays.fill(v, 1.0);
        return v;
    }

    /** Passes the solves' statuses on with the iteration count summed over the solves; once stopped, stops all. */
    private static final class Relay implements IterationObserver {
        private final IterationObserver observer;
        long offset;
        boolean stopped;

        Relay(IterationObserver observer) {
            this.observer = observer;
        }

        @Override
        public boolean observe(IterationStatus status) {
            if (stopped) {
                return false;
            }
            stopped = !observer.observe(new IterationStatus(offset + status.iteration(), status.error(), Double.NaN));
            return !stopped;
        }
    }

    /** One line with every setting. */
    @Override
    public String toString() {
        return "SnapshotTransitions[" + (balanced() ? "balanced" : "rhoSource=" + TextSummary.number(rhoSource)
                + ", rhoTarget=" + TextSummary.number(rhoTarget)) + ", growthRefinements=" + refinements
                + ", solver epsilon=" + solver.epsilon() + "]";
    }
}
