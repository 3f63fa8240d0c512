package org.measureflow.gradientflow.jko;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.parallel.Chunks;
import org.measureflow.gradientflow.energy.Energy;
import org.measureflow.gradientflow.energy.InternalEnergy;
import org.measureflow.gradientflow.energy.PotentialEnergy;

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
 * where \( K \) is applied as a separable Gaussian convolution ({@code GibbsKernel}): one iteration costs
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
 * \( \mathrm{Var}\,\eta = \varepsilon S'/(2(S' - \tau D)) \)). With {@link Options#compensateBlur(boolean)} on
 * (the default) the step uses the entropy coefficient \( D' = D - \varepsilon/(4\tau) \) instead of \( D \), so the
 * total diffusion is \( D \) to first order. The step stays a convex problem even when \( D' \lt 0 \): with
 * \( q = \pi^\top\mathbf 1 \), \( \frac{\varepsilon}{2\tau}\sum\pi\log\pi + D'\sum q\log q =
 * \frac{\varepsilon}{2\tau}\sum\pi\log\frac{\pi}{q} + (\frac{\varepsilon}{4\tau} + D)\sum q \log q \), a
 * relative entropy \( \mathrm{KL}(\pi_{\cdot j} \mid q_j \mathbf 1) \) (jointly convex in \( \pi \)) plus a convex
 * term, and the cell equation keeps
 * the slope \( 1 + \sigma D' \ge 1/2 \). Energies without an
 * entropy term (porous medium alone) keep an extra diffusion \( \varepsilon/(4\tau) \)
 * ({@link #blurDiffusion(GridDensity.Grid, Energy)}): take \( \varepsilon \ll \tau \).
 *
 * <p><b>Mass.</b> The returned density is the second marginal \( b \odot K^\top a \) of the plan right after an
 * \( a \)-update, whose first marginal is then exactly \( p \): its mass equals \( \sum_c p_c \) up to rounding
 * whether or not the iteration converged. {@link JkoStep#marginalError()} reports the distance to optimality.
 * Immutable and thread-safe.
 */
public final class EntropicJko {
    private final Options options;

    private EntropicJko(Options options) {
        this.options = options;
    }

    /** The default options; change them with the withers and build with {@link Options#solver()}. */
    public static Options options() {
        return Options.DEFAULTS;
    }

    /** A solver with the default options. */
    public static EntropicJko withDefaults() {
        return new EntropicJko(Options.DEFAULTS);
    }

    /** A solver with the given options. */
    public static EntropicJko of(Options options) {
        return new EntropicJko(Arguments.notNull("options", options));
    }

    /** The options. */
    public Options getOptions() {
        return options;
    }

    /**
     * The regularisation used on {@code grid} for {@code energy}: the option if set, otherwise automatic,
     * \( \varepsilon = \max(2 h_{\max}^2, \tau D) \) with \( h_{\max} \) the largest cell size and \( D \) the
     * total entropy coefficient of the energy (0 without entropy). \( 2h^2 \) gives the Gibbs kernel a standard
     * deviation of one cell; \( \tau D \) keeps the scalings of diffusive flows within floating-point range (their
     * dual potentials grow like \( \tau|x|^2/\varepsilon \)) while the blur \( \varepsilon/(4\tau) = D/4 \) is
     * compensated.
     */
    public double epsilon(GridDensity.Grid grid, Energy energy) {
        Arguments.notNull("grid", grid);
        Arguments.notNull("energy", energy);
        return epsilon(grid, entropyCoefficient(energy));
    }

    private double epsilon(GridDensity.Grid grid, double entropy) {
        if (!Double.isNaN(options.epsilon)) {
            return options.epsilon;
        }
        double h = grid.cellSize(0);
        if (grid.dimension() == 2) {
            h = Math.max(h, grid.cellSize(1));
        }
        return Math.max(2 * h * h, options.tau * entropy);
    }

    private static double entropyCoefficient(Energy energy) {
        double d = 0;
        for (Energy term : energy.terms()) {
            if (term instanceof InternalEnergy ie && ie.kind() == InternalEnergy.Kind.ENTROPY) {
                d += ie.coefficient();
            }
        }
        return d;
    }

    /** The diffusion coefficient \( \varepsilon/(4\tau) \) that the entropic blur adds on {@code grid} for {@code energy}. */
    public double blurDiffusion(GridDensity.Grid grid, Energy energy) {
        return epsilon(grid, energy) / (4 * options.tau);
    }

    /**
     * One entropic JKO step from {@code rho} for the energy {@code energy}.
     *
     * @param rho    \( \rho_k \), positive mass
     * @param energy \( F \)
     * @return \( \rho_{k+1} \) and the convergence report
     * @throws IllegalArgumentException if an argument is null or the mass is 0
     * @throws IllegalStateException    if the scalings leave the floating-point range (\( \varepsilon \) far too
     *                                  small for \( \tau \) on a diffusive flow)
     */
    public JkoStep step(GridDensity rho, Energy energy) {
        Arguments.notNull("rho", rho);
        Arguments.notNull("energy", energy);
        requireMass(rho);
        Plan plan = new Plan(rho.grid(), energy);
        return plan.step(rho, new double[rho.size()]);
    }

    /**
     * {@code steps} JKO steps from {@code rho0}; each step warm-starts its scaling \( b \) from the previous one.
     *
     * @throws IllegalArgumentException as {@link #step(GridDensity, Energy)}, or if {@code steps < 0}
     */
    public JkoFlow flow(GridDensity rho0, Energy energy, int steps) {
        Arguments.notNull("rho0", rho0);
        Arguments.notNull("energy", energy);
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        requireMass(rho0);
        Plan plan = new Plan(rho0.grid(), energy);
        double[] b = new double[rho0.size()];
        List<JkoStep> out = new ArrayList<>(steps);
        GridDensity rho = rho0;
        for (int k = 0; k < steps; k++) {
            JkoStep s = plan.step(rho, b);
            out.add(s);
            rho = s.density();
        }
        return new JkoFlow(rho0, options.tau, out);
    }

    private static void requireMass(GridDensity rho) {
        double m = rho.mass();
        if (!(m > 0)) {
            throw new IllegalArgumentException("rho must have positive mass, got " + m);
        }
    }

    /** Everything fixed for one grid and one energy. */
    private final class Plan {
        private final GridDensity.Grid grid;
        private final Energy energy;
        private final GibbsKernel kernel;
        private final CellProx prox;
        private final double[] staticPotential;
        private final List<Energy> linearised = new ArrayList<>();
        private final int n;
        private final double volume;
        private final double epsilon;

        Plan(GridDensity.Grid grid, Energy energy) {
            this.grid = grid;
            this.energy = energy;
            this.n = grid.size();
            this.volume = grid.cellVolume();
            double tau = options.tau;
            double eps = epsilon(grid, entropyCoefficient(energy));
            double sigma = 2 * tau / eps;
            double entropy = 0;
            List<InternalEnergy> internal = new ArrayList<>();
            staticPotential = new double[n];
            for (Energy term : energy.terms()) {
                if (term instanceof InternalEnergy ie) {
                    if (ie.kind() == InternalEnergy.Kind.ENTROPY) {
                        entropy += ie.coefficient();
                    } else {
                        internal.add(ie);
                    }
                } else if (term instanceof PotentialEnergy pe) {
                    double[] v = pe.onGrid(grid);
                    for (int c = 0; c < n; c++) {
                        staticPotential[c] += v[c];
                    }
                } else {
                    linearised.add(term);
                }
            }
            if (options.compensateBlur && entropy > 0) {
                entropy -= eps / (4 * tau);
            }
            this.epsilon = eps;
            this.kernel = new GibbsKernel(grid, eps);
            this.prox = new CellProx(sigma, entropy, internal, volume, options.upperBound);
        }

        JkoStep step(GridDensity rho, double[] b) {
            double[] p = rho.values();
            for (int c = 0; c < n; c++) {
                p[c] *= volume;
            }
            double[] v = staticPotential;
            if (!linearised.isEmpty()) {
                v = staticPotential.clone();
                for (Energy term : linearised) {
                    double[] fv = term.firstVariation(rho);
                    for (int c = 0; c < n; c++) {
                        if (!Double.isFinite(fv[c])) {
                            throw new IllegalArgumentException("energy: the first variation of " + term
                                    + " is not finite at cell " + c + ": " + fv[c]);
                        }
                        v[c] += fv[c];
                    }
                }
            }
            boolean cold = true;
            for (double x : b) {
                if (x != 0) {
                    cold = false;
                    break;
                }
            }
            if (cold) {
                Arrays.fill(b, 1.0);
            }
            double[] kb = new double[n];
            double[] a = new double[n];
            double[] z = new double[n];
            double[] work = new double[n];
            double[] q = new double[n];
            int chunkRows = 4096;
            double[] partial = new double[Chunks.count(n, chunkRows)];
            final double[] pot = v;
            Chunks.Body proxSweep = (chunk, start, end) -> {
                double s = 0;
                for (int c = start; c < end; c++) {
                    double zc = z[c];
                    double target = prox.solve(zc, pot[c]);
                    double current = b[c] * zc;
                    q[c] = current;
                    s += Math.abs(current - target);
                    b[c] = zc > 0 ? target / zc : 0.0;
                }
                partial[chunk] = s;
            };
            int iterations = 0;
            double error = Double.POSITIVE_INFINITY;
            boolean converged = false;
            while (iterations < options.maxIterations) {
                iterations++;
                kernel.apply(b, kb, work);
                for (int c = 0; c < n; c++) {
                    double pc = p[c];
                    if (pc > 0) {
                        double k = kb[c];
                        if (!(k > 0)) {
                            throw new IllegalStateException("the scalings left the floating-point range at cell " + c
                                    + ": epsilon = " + epsilon + " is too small for tau = " + options.tau
                                    + " on this grid (dual potentials grow like tau |x|^2 / epsilon); raise epsilon");
                        }
                        a[c] = pc / k;
                    } else {
                        a[c] = 0.0;
                    }
                }
                kernel.apply(a, z, work);
                Chunks.forEach(n, chunkRows, 40, proxSweep);
                error = 0;
                for (double s : partial) {
                    error += s;
                }
                if (!Double.isFinite(error)) {
                    throw new IllegalStateException("the scalings left the floating-point range (marginal error "
                            + error + "): epsilon = " + epsilon + " is too small for tau = " + options.tau
                            + " on this grid; raise epsilon");
                }
                if (error <= options.tolerance) {
                    converged = true;
                    break;
                }
            }
            for (int c = 0; c < n; c++) {
                q[c] /= volume;
            }
            GridDensity next = GridDensity.of(grid, q);
            return new JkoStep(next, energy.value(next), iterations, error, converged);
        }
    }

    /**
     * Options of {@link EntropicJko}, immutable; every wither returns a new object. Defaults:
     * <ul>
     * <li>{@code tau = 1e-2}: the time step \( \tau \);</li>
     * <li>{@code epsilon} automatic: \( \varepsilon = \max(2h^2, \tau D) \) (see
     *     {@link EntropicJko#epsilon(GridDensity.Grid, Energy)}; set it with {@link #epsilon(double)}, in cost
     *     units);</li>
     * <li>{@code tolerance = 1e-9}: the L1 marginal error (mass units) at which the scaling iterations stop;</li>
     * <li>{@code maxIterations = 10000} scaling iterations per step;</li>
     * <li>{@code upperBound = +infinity}: no density constraint \( \rho \le \kappa \);</li>
     * <li>{@code compensateBlur = true}: subtract \( \varepsilon/(4\tau) \) from the entropy coefficient (see the
     *     class comment).</li>
     * </ul>
     */
    public static final class Options {
        static final Options DEFAULTS = new Options();

        double tau = 1e-2;
        double epsilon = Double.NaN;
        double tolerance = 1e-9;
        int maxIterations = 10_000;
        double upperBound = Double.POSITIVE_INFINITY;
        boolean compensateBlur = true;

        private Options() {
        }

        private Options copy() {
            Options o = new Options();
            o.tau = tau;
            o.epsilon = epsilon;
            o.tolerance = tolerance;
            o.maxIterations = maxIterations;
            o.upperBound = upperBound;
            o.compensateBlur = compensateBlur;
            return o;
        }

        /** The time step \( \tau > 0 \). */
        public Options tau(double tau) {
            Options o = copy();
            o.tau = Arguments.positive("tau", tau);
            return o;
        }

        /** The entropic regularisation \( \varepsilon > 0 \), absolute (cost units, cost \( |x-y|^2 \)). */
        public Options epsilon(double epsilon) {
            Options o = copy();
            o.epsilon = Arguments.positive("epsilon", epsilon);
            return o;
        }

        /** Back to the automatic \( \varepsilon = \max(2h^2, \tau D) \). */
        public Options automaticEpsilon() {
            Options o = copy();
            o.epsilon = Double.NaN;
            return o;
        }

        /** The L1 marginal error to reach, {@code > 0}. */
        public Options tolerance(double tolerance) {
            Options o = copy();
            o.tolerance = Arguments.positive("tolerance", tolerance);
            return o;
        }

        /** The iteration budget per step, {@code > 0}. */
        public Options maxIterations(int maxIterations) {
            Options o = copy();
            o.maxIterations = Arguments.positive("maxIterations", maxIterations);
            return o;
        }

        /** The density bound \( \kappa > 0 \) of the constraint \( \rho \le \kappa \) (crowd motion). */
        public Options upperBound(double kappa) {
            Options o = copy();
            o.upperBound = Arguments.positive("upperBound", kappa);
            return o;
        }

        /** Whether to subtract the blur diffusion \( \varepsilon/(4\tau) \) from the entropy coefficient. */
        public Options compensateBlur(boolean on) {
            Options o = copy();
            o.compensateBlur = on;
            return o;
        }

        /** A solver with these options. */
        public EntropicJko solver() {
            return new EntropicJko(this);
        }

        /** \( \tau \). */
        public double tau() {
            return tau;
        }

        /** \( \varepsilon \), or NaN when automatic (see {@link EntropicJko#epsilon(GridDensity.Grid, Energy)}). */
        public double epsilon() {
            return epsilon;
        }

        /** The tolerance. */
        public double tolerance() {
            return tolerance;
        }

        /** The iteration budget per step. */
        public int maxIterations() {
            return maxIterations;
        }

        /** \( \kappa \) (\( +\infty \) when unconstrained). */
        public double upperBound() {
            return upperBound;
        }

        /** Whether the blur is compensated. */
        public boolean compensateBlur() {
            return compensateBlur;
        }

        @Override
        public String toString() {
            return "EntropicJko.Options[tau=" + tau + ", epsilon=" + (Double.isNaN(epsilon) ? "auto" : epsilon)
                    + ", tolerance=" + tolerance + ", maxIterations=" + maxIterations + ", upperBound=" + upperBound
                    + ", compensateBlur=" + compensateBlur + "]";
        }
    }
}
