package org.measureflow.ot.exact;

import org.measureflow.core.Arguments;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.GroundCost;

/**
 * Exact discrete optimal transport by the primal network simplex method: solves the Kantorovich linear program
 * (survey eq. 10)
 * \[ \min_{P \in \mathbb{R}_+^{n\times m}} \langle C, P \rangle \quad \text{s.t.}\quad P\mathbf{1}_m = a,\;
 * P^\top \mathbf{1}_n = b \]
 * together with its dual \( \max \{ \langle a, f\rangle + \langle b, g\rangle : f_i + g_j \le C_{ij} \} \), as a
 * minimum-cost flow on the complete bipartite graph from the \( n \) sources to the \( m \) targets.
 *
 * <p>Algorithm (Ahuja, Magnanti &amp; Orlin, <i>Network Flows</i>, ch. 11; Kelly &amp; O'Neill 1991): a basis is a
 * spanning tree of the \( n+m \) nodes, stored with parent, depth and preorder-thread arrays; the flow of a tree
 * arc is stored at its lower node. The potentials satisfy \( f_i + g_j = C_{ij} \) on tree arcs; an arc with reduced
 * cost \( C_{ij} - f_i - g_j &lt; -\tau \) enters (block search pricing: the most negative reduced cost among blocks
 * of about \( \sqrt{nm} \) arcs, scanned cyclically), the flow is pushed around the cycle it closes, and the
 * blocking arc that leaves is chosen by Cunningham's rule (the last blocking arc met when the cycle is walked from
 * its apex in the direction of the flow), which keeps the tree strongly feasible and so prevents cycling. The
 * cut-off subtree is re-rooted at the entering arc's endpoint in one walk over it (shifting its potentials and
 * depths), and its preorder thread is rebuilt by splicing one or two old segments per node of the re-rooted path.
 * The initial basis comes from a greedy row-minimum rule (each source in turn ships to its cheapest targets that still
 * have room), completed to a spanning tree by zero-flow arcs that point away from the root, so it is strongly
 * feasible (except where the rounding imbalance of the marginals leaves a source with no arc). When pricing finds
 * no entering arc, the potentials are recomputed exactly from the tree and the whole arc set is priced once more
 * before optimality is declared.
 *
 * <p>Tolerances: the entering threshold is \( \tau = 10^{-13} \max_{ij} |C_{ij}| \), so on return the dual
 * constraints hold up to \( \tau \) plus rounding and the cost is optimal within about \( \tau \). Flows are
 * doubles; a pivot moves \( \delta = \) the smallest decreasing flow, which leaves that arc at exactly zero and no
 * flow negative. Sources or targets of zero mass are removed before solving (their potentials are then set to
 * the largest value allowed by dual feasibility, \( f_i = \min_j C_{ij} - g_j \), which does not change the dual
 * objective). The marginals must each sum to 1 within {@link Arguments#PROBABILITY_SUM_TOLERANCE}; the remaining
 * rounding imbalance stays unassigned, so the plan's marginals match \( a, b \) up to that imbalance.
 *
 * <p>Cost: \( O(n+m) \) memory besides the cost matrix, which is read in place (copied only when atoms of zero
 * mass are removed); each pivot scans at least one block of arcs and walks the subtree it cuts off. Measured on
 * 2-D Gaussian clouds with uniform weights (n = m = 1000 / 4000 / 10000): about 20k / 120k / 370k pivots.
 *
 * <p>Single-threaded and deterministic: the same input gives the same bits. (The pricing scan is the hot loop, but
 * the blocks are too short for a parallel split to pay: a block of 4000 entries takes about 5 &micro;s serially and
 * about 10 &micro;s when split over two threads of the common pool, measured on the 2-core development machine. A
 * single-precision copy of the costs for pricing was also tried and gained under 5% at n = m = 4000 and nothing at
 * 10000, not worth its \( 4nm \) bytes.)
 *
 * <p>{@link ExactOtResult#error()} is the largest violation \( \max(0, \max_{ij} f_i + g_j - C_{ij}) \) of the dual
 * constraints found by the last pricing (a full pass when the solve converged), tested against the tolerance
 * \( \tau \) above.
 *
 * <p>The work is split along the method's seams into package-private parts: {@code ZeroMassReduction} (removing
 * and restoring the atoms of zero mass), {@code InitialBasis} (the greedy start), {@code SpanningTree} (the basis,
 * the cycle, the flow update, the re-rooting and the thread splicing), {@code BlockPricing} (the entering arc) and
 * {@code ExactResultAssembly} (the sorted plan, the cost and the potentials in the caller's indexing).
 *
 * <p>Defaults ({@link #withDefaults()}):
 * <ul>
 * <li>at most {@link #DEFAULT_MAX_ITERATIONS} pivots ({@link #withMaxIterations(long)}); there is no tolerance to
 *     set, the entering threshold \( \tau \) above is relative to the costs.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class NetworkSimplex {
    /** Default limit on the number of pivots: {@value}. */
    public static final long DEFAULT_MAX_ITERATIONS = 1_000_000_000L;

    private final long maxIterations;

    private NetworkSimplex(long maxIterations) {
        this.maxIterations = maxIterations;
    }

    /** The solver with the default limit of {@link #DEFAULT_MAX_ITERATIONS} pivots. */
    public static NetworkSimplex withDefaults() {
        return new NetworkSimplex(DEFAULT_MAX_ITERATIONS);
    }

    /**
     * This solver with another limit on the number of simplex pivots; reaching it is reported by
     * {@link ExactOtResult#converged()} being false, not thrown.
     *
     * @param maxIterations the most pivots, {@code >= 0}
     * @return a new solver
     * @throws IllegalArgumentException if {@code maxIterations < 0}
     */
    public NetworkSimplex withMaxIterations(long maxIterations) {
        return new NetworkSimplex(Arguments.nonNegative("maxIterations", maxIterations));
    }

    /** The limit on pivots. */
    public long maxIterations() {
        return maxIterations;
    }

    /**
     * Solves \( \min_{P \in U(a,b)} \langle C, P\rangle \) (survey eq. 10) exactly.
     *
     * @param a source histogram, length {@code c.rows()}, non-negative, summing to 1 (within
     *          {@link Arguments#PROBABILITY_SUM_TOLERANCE})
     * @param b target histogram, length {@code c.cols()}, non-negative, summing to 1
     * @param c the cost matrix \( C \) ({@code n x m})
     * @return the optimal cost, a basic optimal plan (at most \( n+m-1 \) entries), optimal dual potentials and
     *         the number of pivots
     * @throws IllegalArgumentException if an argument is null, a histogram has the wrong length, a negative or
     *                                  non-finite entry, or does not sum to 1, or the costs are so large
     *                                  (\( \max|C| \gt \) {@code Double.MAX_VALUE / (4(n+m))}) that the dual
     *                                  potentials could overflow
     */
    public ExactOtResult solve(double[] a, double[] b, CostMatrix c) {
        return solve(a, b, c, IterationObserver.none());
    }

    /**
     * {@link #solve(double[], double[], CostMatrix)} watched by an observer, called after every pivot with the
     * pivot count and the entering arc's reduced-cost violation \( -(C_{ij} - f_i - g_j) \); returning
     * {@code false} stops the solve (the plan is then feasible but not optimal).
     *
     * @throws IllegalArgumentException as {@link #solve(double[], double[], CostMatrix)}, or if {@code observer} is
     *                                  null
     */
    public ExactOtResult solve(double[] a, double[] b, CostMatrix c, IterationObserver observer) {
        Arguments.notNull("c", c);
        Arguments.probabilityVector("a", a, c.rows());
        Arguments.probabilityVector("b", b, c.cols());
        Arguments.notNull("observer", observer);
        requireRoomForPotentials("c", c);
        return run(new ZeroMassReduction(a, b, c), maxIterations, observer);
    }

    /**
     * Rejects costs so large that the dual potentials could overflow: they are alternating sums of costs along tree
     * paths of up to \( n + m \) arcs, so \( \max|C| \le \) {@code Double.MAX_VALUE / (4(n+m))} keeps every
     * potential and reduced cost finite.
     */
    private static void requireRoomForPotentials(String name, CostMatrix c) {
        double limit = Double.MAX_VALUE / (4.0 * ((double) c.rows() + c.cols()));
        if (!(c.maxAbs() <= limit)) {
            throw new IllegalArgumentException(name + ": the largest cost " + c.maxAbs() + " leaves no room for the "
                    + "dual potentials (they reach (n + m) max|C| = " + (((double) c.rows() + c.cols()) * c.maxAbs())
                    + " during the solve); divide the costs by a constant first");
        }
    }

    /**
     * Solves the transport problem between the weighted atoms of two measures for the ground cost {@code cost}:
     * \( C_{ij} = c(x_i, y_j) \), \( a, b \) the measures' weights.
     *
     * @throws IllegalArgumentException if an argument is null, the dimensions of the measures differ, or a cost
     *                                  overflows (points too far apart, see
     *                                  {@link CostMatrix#euclideanPower(ParticleMeasure, ParticleMeasure, double)})
     */
    public ExactOtResult solve(ParticleMeasure x, ParticleMeasure y, GroundCost cost) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        Arguments.notNull("cost", cost);
        CostMatrix c = cost.matrix(x, y);
        requireRoomForPotentials("x and y", c);
        return solve(x.weights(), y.weights(), c);
    }

    /**
     * {@link #solve(ParticleMeasure, ParticleMeasure, GroundCost)} watched by an observer (see
     * {@link #solve(double[], double[], CostMatrix, IterationObserver)}).
     */
    public ExactOtResult solve(ParticleMeasure x, ParticleMeasure y, GroundCost cost, IterationObserver observer) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        Arguments.notNull("cost", cost);
        CostMatrix c = cost.matrix(x, y);
        requireRoomForPotentials("x and y", c);
        return solve(x.weights(), y.weights(), c, observer);
    }

    /** {@link #solve(ParticleMeasure, ParticleMeasure, GroundCost)} with \( c(x,y) = |x-y|^2 \): \( W_2^2 \). */
    public ExactOtResult solve(ParticleMeasure x, ParticleMeasure y) {
        return solve(x, y, GroundCost.squaredEuclidean());
    }

    @Override
    public String toString() {
        return "NetworkSimplex[maxIterations=" + maxIterations + "]";
    }

    /**
     * The simplex loop: price, pivot, observe, until no arc enters (then optimality is confirmed by recomputing the
     * potentials exactly and pricing every arc once more), the pivot limit is reached or the observer stops.
     */
    private static ExactOtResult run(ZeroMassReduction problem, long maxIterations, IterationObserver observer) {
        BlockPricing pricing = new BlockPricing(problem.cost, 1e-13 * problem.cost.maxAbs());
        SpanningTree tree = InitialBasis.build(problem.a, problem.b, problem.cost);
        long iterations = 0;
        boolean converged = false;
        boolean stopped = false;
        double violation;
        while (true) {
            if (!pricing.findEntering(tree.u, tree.v, false)) {
                tree.recomputePotentials();
                if (!pricing.findEntering(tree.u, tree.v, true)) {
                    converged = true;
                    violation = Math.max(0, -pricing.minReducedCost());
                    break;
                }
            }
            if (iterations >= maxIterations || stopped) {
                violation = -pricing.enterReducedCost();
                break;
            }
            tree.pivot(pricing.enterRow(), pricing.enterCol(), pricing.enterReducedCost());
            iterations++;
            stopped = !observer.observe(new IterationStatus(iterations, -pricing.enterReducedCost(), Double.NaN));
        }
        tree.recomputePotentials();
        double tolerance = pricing.tolerance();
        Convergence convergence = converged ? Convergence.tested(iterations, violation, tolerance, false)
                : new Convergence(iterations, violation, tolerance,
                        stopped ? Termination.STOPPED : Termination.ITERATION_LIMIT);
        return ExactResultAssembly.result(problem, tree, convergence);
    }
}
