package org.measureflow.gradientflow.jko;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.gradientflow.energy.GridEnergy;
import org.measureflow.gradientflow.energy.InternalEnergy;

/**
 * The JKO scheme (survey eq. 13) on a 1-D or 2-D grid, with the entropic approximation of Peyr&eacute; (2015,
 * "Entropic approximation of Wasserstein gradient flows"):
 * \[ \rho_{k+1} = \arg\min_{q}\ \min_{\pi \ge 0,\ \pi\mathbf 1 = p,\ \pi^\top\mathbf 1 = q}
 *    \frac{1}{2\tau}\Big(\langle C, \pi\rangle + \varepsilon\,\mathrm{KL}(\pi \mid \mathbf 1)\Big) + F(q), \]
 * with masses \( p_c = \rho_{k,c}|\Delta| \), cost \( C_{cc'} = |x_c - x_{c'}|^2 \) (not halved; closed-forms
 * conventions) and \( F \) discretised by the midpoint rule. Multiplying by \( 2\tau/\varepsilon \) gives
 * \( \min \mathrm{KL}(\pi\mid K) + \sigma F(\pi^\top\mathbf 1) \) with the Gibbs kernel \( K = e^{-C/\varepsilon} \)
 * and \( \sigma = 2\tau/\varepsilon \), solved by the scaling iterations (Dykstra / generalised Sinkhorn)
 * \[ a \leftarrow \frac{p}{K b}, \qquad b \leftarrow \frac{\mathrm{prox}^{\mathrm{KL}}_{\sigma F}(K^\top a)}{K^\top a},
 *    \qquad \mathrm{prox}^{\mathrm{KL}}_{\sigma F}(z) = \arg\min_q \sigma F(q) + \mathrm{KL}(q\mid z), \]
 * where \( K \) is applied as a separable Gaussian convolution
 * ({@link org.measureflow.ot.sinkhorn.SeparableGibbsKernel}, shared with the convolutional barycenters): one
 * iteration costs
 * \( O(N R) \) on \( N \) cells with a kernel radius of \( R \) cells, never \( O(N^2) \).
 *
 * <p><b>Energies.</b> The proximal map is separable for internal energies \( \int f(\rho) \) (entropy, porous
 * medium, any convex \( f \): a scalar Newton solve per cell, closed form for the entropy), potential energies
 * \( \int V\rho \) and their sums, and the optional constraint \( \rho \le \kappa \) (crowd motion, a clamp). Any
 * other term (an {@link org.measureflow.gradientflow.energy.InteractionEnergy}) is linearised at \( \rho_k \): its
 * first variation \( \frac{\delta G}{\delta\rho}(\rho_k) \) acts as a potential during the step (a semi-implicit
 * scheme, first order in \( \tau \) like the JKO scheme itself).
 *
 * <p><b>Entropic blur.</b> The Gibbs kernel is the heat kernel at time \( \varepsilon/4 \) (variance
 * \( \varepsilon/2 \) per axis), and each step spreads the plan's conditionals by that much: for Gaussians one step
 * of the entropic scheme for \( D\int\rho\log\rho \) adds \( 2\tau D + \varepsilon/2 + O(\varepsilon\tau) \) to the
 * variance, i.e. the scheme approximates the heat flow with diffusion \( D + \varepsilon/(4\tau) \) (the
 * computation: with \( Y = aX + \eta \), the optimality conditions give \( a = S'/(S' - \tau D) \) and
 * \( \mathrm{Var}\,\eta = \varepsilon S'/(2(S' - \tau D)) \)). With {@link #withBlurCompensation(boolean)} on
 * (the default) the step uses the entropy coefficient \( D' = D - \varepsilon/(4\tau) \) instead of \( D \), so the
 * total diffusion is \( D \) to first order. The step stays a convex problem even when \( D' \lt 0 \): with
 * \( q = \pi^\top\mathbf 1 \), \( \frac{\varepsilon}{2\tau}\sum\pi\log\pi + D'\sum q\log q =
 * \frac{\varepsilon}{2\tau}\sum\pi\log\frac{\pi}{q} + (\frac{\varepsilon}{4\tau} + D)\sum q \log q \), a
 * relative entropy \( \mathrm{KL}(\pi_{\cdot j} \mid q_j \mathbf 1) \) (jointly convex in \( \pi \)) plus a convex
 * term, and the cell equation keeps the slope \( 1 + \sigma D' \ge 1/2 \). Energies without an entropy term
 * (porous medium alone) keep an extra diffusion \( \varepsilon/(4\tau) \)
 * ({@link #blurDiffusion(GridDensity.Grid, GridEnergy)}): take \( \varepsilon \ll \tau \).
 *
 * <p><b>Mass.</b> The returned density is the second marginal \( b \odot K^\top a \) of the plan right after an
 * \( a \)-update, whose first marginal is then exactly \( p \): its mass equals \( \sum_c p_c \) up to rounding
 * whether or not the iteration converged. The error of {@link JkoStepResult} (the marginal error) reports the
 * distance to optimality.
 *
 * <p><b>Made by</b> {@link #of(double, double)} or {@link #of(double, JkoEpsilon)}: the time step \( \tau \) and
 * the regularisation \( \varepsilon \) have no scale-free default. <b>Defaults</b> of the other settings:
 * <ul>
 * <li>{@code tolerance = 1e-9}: the L1 marginal error (mass units) at which the scaling iterations of a step
 *     stop;</li>
 * <li>{@code maxIterations = 10000} scaling iterations per step;</li>
 * <li>{@code upperBound = +Infinity}: no density constraint \( \rho \le \kappa \);</li>
 * <li>{@code blurCompensation = true}: subtract \( \varepsilon/(4\tau) \) from the entropy coefficient (see
 *     above);</li>
 * <li>{@code warmStart = true}: each step of {@link #flow} starts its scaling \( b \) from the previous step's
 *     (with {@code false} every step starts from \( b = \mathbf 1 \), as a lone {@link #step} does);</li>
 * <li>{@code overRelaxation = true}: adaptive over-relaxation of the scaling iterations
 *     ({@link #withOverRelaxation(boolean)});</li>
 * <li>{@code multiscale = true}: cold steps on 2-D grids of at least 128 cells per axis start from the step at
 *     half the resolution ({@link #withMultiscale(boolean)});</li>
 * <li>{@code parallel = true}: kernel applications and cell-wise sweeps on both cores, in fixed chunks (same bits
 *     as a serial run).</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class EntropicJko {
    private final double tau;
    private final JkoEpsilon epsilon;
    private final double tolerance;
    private final long maxIterations;
    private final double upperBound;
    private final boolean blurCompensation;
    private final boolean warmStart;
    private final boolean overRelaxation;
    private final boolean parallel;
    private final boolean multiscale;

    private EntropicJko(double tau, JkoEpsilon epsilon, double tolerance, long maxIterations, double upperBound,
                        boolean blurCompensation, boolean warmStart, boolean overRelaxation, boolean parallel,
                        boolean multiscale) {
        this.tau = tau;
        this.epsilon = epsilon;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.upperBound = upperBound;
        this.blurCompensation = blurCompensation;
        this.warmStart = warmStart;
        this.overRelaxation = overRelaxation;
        this.parallel = parallel;
        this.multiscale = multiscale;
    }

    /**
     * The scheme with time step {@code tau} and the absolute regularisation {@code epsilon}, other settings at their
     * defaults (see the class comment).
     *
     * @param tau     the time step \( \tau \), finite and {@code > 0}
     * @param epsilon \( \varepsilon \) in the units of the cost \( |x - y|^2 \), finite and {@code > 0}
     * @return the scheme
     * @throws IllegalArgumentException if {@code tau} or {@code epsilon} is not finite and positive
     */
    public static EntropicJko of(double tau, double epsilon) {
        return of(tau, JkoEpsilon.absolute(epsilon));
    }

    /**
     * The scheme with time step {@code tau} and the regularisation {@code epsilon} (absolute or adapted to the grid,
     * {@link JkoEpsilon#gridAdapted()}), other settings at their defaults (see the class comment).
     *
     * @param tau     the time step \( \tau \), finite and {@code > 0}
     * @param epsilon the regularisation
     * @return the scheme
     * @throws IllegalArgumentException if {@code tau} is not finite and positive or {@code epsilon} is null
     */
    public static EntropicJko of(double tau, JkoEpsilon epsilon) {
        return new EntropicJko(Arguments.positive("tau", tau), Arguments.notNull("epsilon", epsilon), 1e-9, 10_000,
                Double.POSITIVE_INFINITY, true, true, true, true, true);
    }

    /**
     * This scheme with another time step.
     *
     * @param tau \( \tau \), finite and {@code > 0}
     * @return a new scheme
     * @throws IllegalArgumentException if {@code tau} is not finite and positive
     */
    public EntropicJko withTau(double tau) {
        return new EntropicJko(Arguments.positive("tau", tau), epsilon, tolerance, maxIterations, upperBound,
                blurCompensation, warmStart, overRelaxation, parallel, multiscale);
    }

    /**
     * This scheme with another absolute regularisation.
     *
     * @param epsilon \( \varepsilon \) in the units of the cost \( |x - y|^2 \), finite and {@code > 0}
     * @return a new scheme
     * @throws IllegalArgumentException if {@code epsilon} is not finite and positive
     */
    public EntropicJko withEpsilon(double epsilon) {
        return withEpsilon(JkoEpsilon.absolute(epsilon));
    }

    /**
     * This scheme with another regularisation (absolute or grid-adapted).
     *
     * @param epsilon the regularisation
     * @return a new scheme
     * @throws IllegalArgumentException if {@code epsilon} is null
     */
    public EntropicJko withEpsilon(JkoEpsilon epsilon) {
        return new EntropicJko(tau, Arguments.notNull("epsilon", epsilon), tolerance, maxIterations, upperBound,
                blurCompensation, warmStart, overRelaxation, parallel, multiscale);
    }

    /**
     * This scheme with another tolerance on the L1 marginal error of a step (mass units).
     *
     * @param tolerance finite and {@code > 0}
     * @return a new scheme
     * @throws IllegalArgumentException if {@code tolerance} is not finite and positive
     */
    public EntropicJko withTolerance(double tolerance) {
        return new EntropicJko(tau, epsilon, Arguments.positive("tolerance", tolerance), maxIterations, upperBound,
                blurCompensation, warmStart, overRelaxation, parallel, multiscale);
    }

    /**
     * This scheme with another budget of scaling iterations per step.
     *
     * @param maxIterations {@code > 0}
     * @return a new scheme
     * @throws IllegalArgumentException if {@code maxIterations} is not positive
     */
    public EntropicJko withMaxIterations(long maxIterations) {
        return new EntropicJko(tau, epsilon, tolerance, Arguments.positive("maxIterations", maxIterations),
                upperBound, blurCompensation, warmStart, overRelaxation, parallel, multiscale);
    }

    /**
     * This scheme with the density constraint \( \rho \le \kappa \) (crowd motion).
     *
     * @param kappa the bound \( \kappa \), finite and {@code > 0}
     * @return a new scheme
     * @throws IllegalArgumentException if {@code kappa} is not finite and positive
     */
    public EntropicJko withUpperBound(double kappa) {
        return new EntropicJko(tau, epsilon, tolerance, maxIterations, Arguments.positive("upperBound", kappa),
                blurCompensation, warmStart, overRelaxation, parallel, multiscale);
    }

    /**
     * This scheme with or without the compensation of the entropic blur (subtracting \( \varepsilon/(4\tau) \)
     * from the entropy coefficient, see the class comment).
     *
     * @param on whether to compensate
     * @return a new scheme
     */
    public EntropicJko withBlurCompensation(boolean on) {
        return new EntropicJko(tau, epsilon, tolerance, maxIterations, upperBound, on, warmStart, overRelaxation,
                parallel, multiscale);
    }

    /**
     * This scheme with or without warm starts: whether each step of {@link #flow} starts its scaling \( b \) from
     * the previous step's (fewer iterations) or from \( b = \mathbf 1 \) (each step exactly as a lone
     * {@link #step}).
     *
     * @param on whether to warm-start
     * @return a new scheme
     */
    public EntropicJko withWarmStart(boolean on) {
        return new EntropicJko(tau, epsilon, tolerance, maxIterations, upperBound, blurCompensation, on, overRelaxation,
                parallel, multiscale);
    }

    /**
     * This scheme with or without the adaptive over-relaxation of the scaling iterations: both scalings relaxed in
     * the log domain, \( \log a \leftarrow (1-\omega)\log a + \omega\log\frac{p}{Kb} \) and
     * \( \log b \leftarrow (1-\omega)\log b + \omega\log\frac{\mathrm{prox}(K^\top a)}{K^\top a} \), with
     * \( \omega \to 2/(1+\sqrt{1-\rho}) \) from the measured linear rate \( \rho \) of the plain iterations
     * (Thibault et al. 2017; Young's successive over-relaxation); the error is tested only on iterations whose
     * \( a \)-update is plain, so the returned plan keeps the exact first marginal. The fixed point, hence the step,
     * is the same as without it (to the tolerance); the iteration count drops several-fold when \( \varepsilon \) is
     * small against the grid.
     *
     * @param on whether to over-relax
     * @return a new scheme
     */
    public EntropicJko withOverRelaxation(boolean on) {
        return new EntropicJko(tau, epsilon, tolerance, maxIterations, upperBound, blurCompensation, warmStart, on,
                parallel, multiscale);
    }

    /**
     * This scheme with the kernel applications and cell-wise sweeps run on the common fork-join pool or on the
     * calling thread alone; fixed chunks make both give the same bits.
     *
     * @param on whether to run in parallel
     * @return a new scheme
     */
    public EntropicJko withParallel(boolean on) {
        return new EntropicJko(tau, epsilon, tolerance, maxIterations, upperBound, blurCompensation, warmStart,
                overRelaxation, on, multiscale);
    }

    /**
     * This scheme with or without the multiscale start of cold steps on 2-D grids of at least 128 cells per axis
     * (even counts): the step first solved on the grid of 2 x 2 merged cells (recursively), its dual potential
     * \( \varepsilon_c \log b_c \) interpolated bilinearly as the start \( b = e^{g/\varepsilon} \). Only the
     * start changes: the step is the same to the tolerance, with fewer iterations at full resolution (the result
     * counts those; the coarse ones, each about 4 times cheaper per level, are not counted).
     *
     * @param on whether to start cold steps from half the resolution
     * @return a new scheme
     */
    public EntropicJko withMultiscale(boolean on) {
        return new EntropicJko(tau, epsilon, tolerance, maxIterations, upperBound, blurCompensation, warmStart,
                overRelaxation, parallel, on);
    }

    /**
     * Whether cold steps on large 2-D grids start from half the resolution.
     *
     * @return whether they do
     */
    public boolean multiscale() {
        return multiscale;
    }

    /**
     * Whether the scaling iterations are over-relaxed.
     *
     * @return whether they are
     */
    public boolean overRelaxation() {
        return overRelaxation;
    }

    /**
     * Whether the step runs in parallel.
     *
     * @return whether it does
     */
    public boolean parallel() {
        return parallel;
    }

    /**
     * The time step \( \tau \).
     *
     * @return \( \tau \)
     */
    public double tau() {
        return tau;
    }

    /**
     * The regularisation as configured (absolute or grid-adapted); {@link #epsilon(GridDensity.Grid, GridEnergy)}
     * gives its value on a grid.
     *
     * @return the regularisation
     */
    public JkoEpsilon epsilon() {
        return epsilon;
    }

    /**
     * The tolerance on the L1 marginal error of a step (mass units).
     *
     * @return the tolerance
     */
    public double tolerance() {
        return tolerance;
    }

    /**
     * The budget of scaling iterations per step.
     *
     * @return the budget
     */
    public long maxIterations() {
        return maxIterations;
    }

    /**
     * The density bound \( \kappa \) (\( +\infty \) when unconstrained).
     *
     * @return \( \kappa \)
     */
    public double upperBound() {
        return upperBound;
    }

    /**
     * Whether the entropic blur is compensated.
     *
     * @return whether it is
     */
    public boolean blurCompensation() {
        return blurCompensation;
    }

    /**
     * Whether the steps of a flow are warm-started.
     *
     * @return whether they are
     */
    public boolean warmStart() {
        return warmStart;
    }

    /**
     * The value of \( \varepsilon \) used on {@code grid} for {@code energy}: the absolute value, or
     * \( \max(2 h_{\max}^2, \tau D) \) when grid-adapted ({@link JkoEpsilon#resolve}), with \( D \) the total
     * entropy coefficient of the energy.
     *
     * @param grid   the grid
     * @param energy the energy
     * @return \( \varepsilon \)
     * @throws IllegalArgumentException if an argument is null
     */
    public double epsilon(GridDensity.Grid grid, GridEnergy energy) {
        Arguments.notNull("grid", grid);
        Arguments.notNull("energy", energy);
        return epsilon.resolve(grid, tau, entropyCoefficient(energy));
    }

    private static double entropyCoefficient(GridEnergy energy) {
        double d = 0;
        for (GridEnergy term : energy.terms()) {
            if (term instanceof InternalEnergy ie && ie.kind() == InternalEnergy.Kind.ENTROPY) {
                d += ie.coefficient();
            }
        }
        return d;
    }

    /**
     * The diffusion coefficient \( \varepsilon/(4\tau) \) that the entropic blur adds on {@code grid} for
     * {@code energy}.
     *
     * @param grid   the grid
     * @param energy the energy
     * @return \( \varepsilon/(4\tau) \)
     * @throws IllegalArgumentException if an argument is null
     */
    public double blurDiffusion(GridDensity.Grid grid, GridEnergy energy) {
        return epsilon(grid, energy) / (4 * tau);
    }

    /**
     * One entropic JKO step from {@code rho} for the energy {@code energy}, from \( b = \mathbf 1 \).
     *
     * @param rho    \( \rho_k \), positive mass
     * @param energy \( F \)
     * @return \( \rho_{k+1} \) and how the scaling iterations ended
     * @throws IllegalArgumentException if an argument is null or the mass is 0
     *                                  or, naming {@code epsilon}, if the scalings leave the floating-point range
     *                                  (\( \varepsilon \) far too small for \( \tau \) on a diffusive flow)
     */
    public JkoStepResult step(GridDensity rho, GridEnergy energy) {
        return step(rho, energy, IterationObserver.none());
    }

    /**
     * {@link #step(GridDensity, GridEnergy)}, reporting every scaling iteration to {@code observer} (error: the
     * marginal error; fraction done unknown, NaN); the step stops when the observer returns {@code false} (then
     * {@link Termination#STOPPED} unless the tolerance was met).
     *
     * @param rho      \( \rho_k \), positive mass
     * @param energy   \( F \)
     * @param observer called after every scaling iteration
     * @return \( \rho_{k+1} \) and how the scaling iterations ended
     * @throws IllegalArgumentException if an argument is null or the mass is 0
     *                                  or, naming {@code epsilon}, if the scalings leave the floating-point range
     */
    public JkoStepResult step(GridDensity rho, GridEnergy energy, IterationObserver observer) {
        Arguments.notNull("rho", rho);
        Arguments.notNull("energy", energy);
        Arguments.notNull("observer", observer);
        requireMass(rho);
        JkoStepPlan plan = new JkoStepPlan(this, rho.grid(), energy);
        return plan.step(rho, new double[rho.size()], observer);
    }

    /**
     * {@code steps} JKO steps from {@code rho0}, at times \( \tau, 2\tau, \dots \); with warm starts (the default)
     * each step starts its scaling \( b \) from the previous one.
     *
     * @param rho0   \( \rho_0 \), positive mass
     * @param energy \( F \)
     * @param steps  the number of steps, {@code >= 0}
     * @return the densities and how the steps ended
     * @throws IllegalArgumentException as {@link #step(GridDensity, GridEnergy)}, or if {@code steps < 0}
     *                                  or, naming {@code epsilon}, if the scalings leave the floating-point range
     */
    public JkoResult flow(GridDensity rho0, GridEnergy energy, int steps) {
        return flow(rho0, energy, steps, IterationObserver.none());
    }

    /**
     * {@link #flow(GridDensity, GridEnergy, int)}, reporting one {@link IterationStatus} per JKO step to
     * {@code observer}: the step count, the step's marginal error, and the fraction done = time done / total time
     * \( = k/K \). The flow stops after a step for which the observer returns {@code false} (the result then holds
     * the steps done and reports {@link Termination#STOPPED}, unless that was the last step).
     *
     * @param rho0     \( \rho_0 \), positive mass
     * @param energy   \( F \)
     * @param steps    the number of steps, {@code >= 0}
     * @param observer called after every JKO step
     * @return the densities and how the steps ended
     * @throws IllegalArgumentException as {@link #step(GridDensity, GridEnergy)}, or if {@code steps < 0}
     *                                  or, naming {@code epsilon}, if the scalings leave the floating-point range
     */
    public JkoResult flow(GridDensity rho0, GridEnergy energy, int steps, IterationObserver observer) {
        Arguments.notNull("rho0", rho0);
        Arguments.notNull("energy", energy);
        Arguments.nonNegative("steps", steps);
        Arguments.notNull("observer", observer);
        requireMass(rho0);
        JkoStepPlan plan = new JkoStepPlan(this, rho0.grid(), energy);
        double[] b = new double[rho0.size()];
        List<JkoStepResult> out = new ArrayList<>(steps);
        GridDensity rho = rho0;
        boolean stopped = false;
        for (int k = 0; k < steps; k++) {
            if (!warmStart) {
                Arrays.fill(b, 0.0);
            }
            JkoStepResult s = plan.step(rho, b, IterationObserver.none());
            out.add(s);
            rho = s.density();
            if (!observer.observe(new IterationStatus(k + 1, s.error(), (k + 1.0) / steps))) {
                stopped = k + 1 < steps;
                break;
            }
        }
        return new JkoResult(rho0, tau, out, summary(out, stopped));
    }

    /** Iterations summed, the largest marginal error, converged when every step converged. */
    private Convergence summary(List<JkoStepResult> steps, boolean stopped) {
        long iterations = 0;
        double error = 0;
        boolean all = true;
        for (JkoStepResult s : steps) {
            iterations += s.iterations();
            error = Math.max(error, s.error());
            all &= s.converged();
        }
        Termination t = stopped ? Termination.STOPPED : all ? Termination.CONVERGED : Termination.ITERATION_LIMIT;
        return new Convergence(iterations, error, tolerance, t);
    }

    private static void requireMass(GridDensity rho) {
        Arguments.positive("rho (mass)", rho.mass());
    }

    /**
     * One line: {@code EntropicJko[tau=0.05, epsilon=max(2 h^2, tau D), tolerance=1e-09, maxIterations=10000,
     * upperBound=Infinity, blurCompensation=true, warmStart=true, overRelaxation=true, parallel=true,
     * multiscale=true]}.
     */
    @Override
    public String toString() {
        return "EntropicJko[tau=" + TextSummary.number(tau) + ", epsilon=" + epsilon + ", tolerance="
                + TextSummary.brief(tolerance) + ", maxIterations=" + maxIterations + ", upperBound="
                + TextSummary.number(upperBound) + ", blurCompensation=" + blurCompensation + ", warmStart="
                + warmStart + ", overRelaxation=" + overRelaxation + ", parallel=" + parallel
                + ", multiscale=" + multiscale + "]";
    }
}
