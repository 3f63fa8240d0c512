package org.measureflow.spark;

import java.io.Serializable;
import java.util.random.RandomGenerator;
import org.measureflow.core.Arguments;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.exact.ExactOtResult;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.ot.exact.OneDimensionalOt;
import org.measureflow.ot.gaussian.BuresWasserstein;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornDivergenceResult;
import org.measureflow.ot.sinkhorn.SinkhornSolver;
import org.measureflow.ot.sliced.SlicedWasserstein;

/**
 * What {@link PairwiseMatrix} computes for each pair of measures \( (\mu_i, \mu_j) \): one of four distances or
 * divergences of {@code measureflow-ot}, each made on the executor from a {@link Recipe} (the solvers are not
 * serializable) and called once per pair exactly as a single-machine loop calls it.
 *
 * <ul>
 * <li>{@link #exactW2()}: the Wasserstein distance \( W_2(\mu_i,\mu_j) = \big(\min_{P \in U(a,b)} \sum_{kl} P_{kl}
 *     |x_k - y_l|^2\big)^{1/2} \) of the Kantorovich problem (survey eq. 10), by the network simplex
 *     ({@link NetworkSimplex}) in dimension \( d \ge 2 \) and by the quantile formula ({@link OneDimensionalOt}) in
 *     dimension 1. A metric.</li>
 * <li>{@link #sinkhornDivergence(double)}: the debiased Sinkhorn divergence
 *     \( S_\varepsilon(\mu_i,\mu_j) = \mathrm{OT}_\varepsilon(\mu_i,\mu_j) - \tfrac12\mathrm{OT}_\varepsilon(\mu_i,\mu_i)
 *     - \tfrac12\mathrm{OT}_\varepsilon(\mu_j,\mu_j) \) with \( \mathrm{OT}_\varepsilon \) the entropic problem of
 *     survey eq. 10 plus \( \varepsilon\,\mathrm{KL}(P \mid a\otimes b) \) ({@link SinkhornDivergence}), squared
 *     Euclidean cost. The value is \( S_\varepsilon \) itself, in squared length units: it is non-negative,
 *     symmetric, zero on the diagonal, but neither it nor \( S_\varepsilon^{1/2} \) is known to satisfy the
 *     triangle inequality in general.</li>
 * <li>{@link #slicedW2(double[])}: \( \widehat{SW}_2(\mu_i,\mu_j) = \big(\frac1L \sum_{l=1}^L
 *     W_2^2(\theta_l\sharp\mu_i, \theta_l\sharp\mu_j)\big)^{1/2} \) ({@link SlicedWasserstein}) over <em>one</em> set
 *     of directions \( \theta_1..\theta_L \) shared by every pair: the estimated matrix is then itself a
 *     pseudometric (an \( \ell^2 \) average of the one-dimensional metrics \( W_2 \)), and the pairs are computed
 *     with common random numbers.</li>
 * <li>{@link #buresW2()}: \( W_2 \) between Gaussians, \( W_2^2 = |m_i - m_j|^2 + \operatorname{tr}\Sigma_i +
 *     \operatorname{tr}\Sigma_j - 2\operatorname{tr}(\Sigma_i^{1/2}\Sigma_j\Sigma_i^{1/2})^{1/2} \) (survey
 *     Prop. 4.3, {@link BuresWasserstein}); for clouds, between the Gaussians with each cloud's mean and covariance
 *     (a cloud whose covariance is not positive definite is rejected, naming the pair). A metric.</li>
 * </ul>
 *
 * <p>Diagnostics per pair: the iterations, the error tested against the tolerance, and whether the solve converged,
 * as reported by the solver; the closed forms (1-D, sliced, Bures) report 0 iterations and error 0 against tolerance
 * 0. Immutable and serializable.
 */
public final class PairMethod implements Serializable {
    private static final long serialVersionUID = 1L;

    private enum Kind { EXACT_W2, SINKHORN_DIVERGENCE, SLICED_W2, BURES_W2 }

    private final Kind kind;
    private final Recipe<?> recipe;
    private final double[] theta;

    private PairMethod(Kind kind, Recipe<?> recipe, double[] theta) {
        this.kind = kind;
        this.recipe = recipe;
        this.theta = theta;
    }

    /** \( W_2 \) by {@link NetworkSimplex#withDefaults()} (dimension 1: {@link OneDimensionalOt}). */
    public static PairMethod exactW2() {
        return exactW2(NetworkSimplex::withDefaults);
    }

    /**
     * \( W_2 \) by the network simplex the recipe makes (dimension 1: {@link OneDimensionalOt}).
     *
     * @param simplex makes the configured solver on each executor
     * @return the method
     * @throws IllegalArgumentException if {@code simplex} is null or makes null
     */
    public static PairMethod exactW2(Recipe<NetworkSimplex> simplex) {
        return new PairMethod(Kind.EXACT_W2, checked("simplex", simplex), null);
    }

    /**
     * \( S_\varepsilon \) with {@code SinkhornSolver.of(epsilon).withParallel(false)} (one thread per pair: the tasks
     * already keep every core busy; the bits do not depend on it), the solver's other defaults.
     *
     * @param epsilon \( \varepsilon \), finite and {@code > 0}, in squared length units
     * @return the method
     * @throws IllegalArgumentException if {@code epsilon} is not finite and positive
     */
    public static PairMethod sinkhornDivergence(double epsilon) {
        SinkhornSolver.of(epsilon); // checks epsilon on the driver
        return sinkhornDivergence(() -> SinkhornDivergence.of(SinkhornSolver.of(epsilon).withParallel(false)));
    }

    /**
     * \( S_\varepsilon \) by the divergence the recipe makes. For bits that do not depend on the executors' heap,
     * fix the solver's point-cloud kernel ({@code withPointCloudKernel}): the automatic choice looks at the heap.
     *
     * @param divergence makes the configured divergence on each executor
     * @return the method
     * @throws IllegalArgumentException if {@code divergence} is null or makes null
     */
    public static PairMethod sinkhornDivergence(Recipe<SinkhornDivergence> divergence) {
        return new PairMethod(Kind.SINKHORN_DIVERGENCE, checked("divergence", divergence), null);
    }

    /**
     * \( \widehat{SW}_2 \) over the given directions, shared by every pair.
     *
     * @param theta \( L \) directions, row-major {@code L * d} (pass unit vectors; copied)
     * @return the method
     * @throws IllegalArgumentException if {@code theta} is null, empty or not finite (its length is checked against
     *                                  the batch's dimension when the matrix is computed)
     */
    public static PairMethod slicedW2(double[] theta) {
        Arguments.nonEmpty("theta", Arguments.finite("theta", Arguments.notNull("theta", theta)));
        return new PairMethod(Kind.SLICED_W2, () -> SlicedWasserstein.withDefaults().withParallel(false),
                theta.clone());
    }

    /**
     * \( \widehat{SW}_2 \) over {@code directions} random directions of \( S^{d-1} \) drawn now from {@code rng}
     * ({@link SlicedWasserstein#randomDirections}), shared by every pair.
     *
     * @param directions \( L \ge 1 \)
     * @param d          the dimension of the measures
     * @param rng        the generator the directions are drawn from
     * @return the method
     * @throws IllegalArgumentException unless {@code directions > 0}, {@code d > 0} and {@code rng} is not null
     */
    public static PairMethod slicedW2(int directions, int d, RandomGenerator rng) {
        return slicedW2(SlicedWasserstein.randomDirections(directions, d, rng));
    }

    /** \( W_2 \) between Gaussians (for clouds: between their moment-matched Gaussians). */
    public static PairMethod buresW2() {
        return new PairMethod(Kind.BURES_W2, null, null);
    }

    /** The short name: {@code exact-w2}, {@code sinkhorn-divergence}, {@code sliced-w2} or {@code bures-w2}. */
    public String name() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** One line: the name, and the number of directions for the sliced distance. */
    @Override
    public String toString() {
        return "PairMethod[" + name() + (theta == null ? "" : ", directions=" + theta.length + " entries") + "]";
    }

    // ------------------------------------------------------------------------------------------------ internals

    /** Checks the method against the batch on the driver (before any task starts). */
    void check(MeasureBatch batch) {
        if (kind == Kind.SLICED_W2 && theta.length % batch.dimension() != 0) {
            throw new IllegalArgumentException("theta must hold a positive multiple of d = " + batch.dimension()
                    + " entries (the measures' dimension), got " + theta.length);
        }
        if (kind != Kind.BURES_W2 && batch.gaussian()) {
            throw new IllegalArgumentException("batch: " + name() + " needs point clouds; the batch holds "
                    + "Gaussians (use PairMethod.buresW2())");
        }
    }

    /** The solver the task uses for all its pairs (made once per task). */
    Object solver() {
        return recipe == null ? null : recipe.make();
    }

    /** The value of one pair of clouds, with its diagnostics. */
    PairValue evaluate(Object solver, int i, int j, ParticleMeasure x, ParticleMeasure y) {
        switch (kind) {
            case EXACT_W2: {
                if (x.dimension() == 1) {
                    return PairValue.of(i, j, OneDimensionalOt.distance(x, y, 2.0), CLOSED_FORM);
                }
                ExactOtResult r = ((NetworkSimplex) solver).solve(x, y);
                return PairValue.of(i, j, Math.sqrt(r.cost()), r.convergence());
            }
            case SINKHORN_DIVERGENCE: {
                SinkhornDivergenceResult r = ((SinkhornDivergence) solver).valueAndGradient(x, y);
                return PairValue.of(i, j, r.value(), r.convergence());
            }
            case SLICED_W2:
                return PairValue.of(i, j, ((SlicedWasserstein) solver).distance(x, y, theta).distance(), CLOSED_FORM);
            default:
                return evaluate(i, j, GaussianMeasure.of(x.mean(), x.covariance()),
                        GaussianMeasure.of(y.mean(), y.covariance()));
        }
    }

    /** The value of one pair of Gaussians ({@link #buresW2()} only; {@link #check} rejects the others). */
    PairValue evaluate(int i, int j, GaussianMeasure x, GaussianMeasure y) {
        return PairValue.of(i, j, BuresWasserstein.distance(x, y), CLOSED_FORM);
    }

    /** The diagnostics of a closed form: nothing iterated, nothing left. */
    private static final Convergence CLOSED_FORM = Convergence.tested(0, 0.0, 0.0, false);

    private static <T> Recipe<T> checked(String name, Recipe<T> recipe) {
        Arguments.notNull(name, recipe);
        if (recipe.make() == null) {
            throw new IllegalArgumentException(name + ": the recipe made null");
        }
        return recipe;
    }
}
