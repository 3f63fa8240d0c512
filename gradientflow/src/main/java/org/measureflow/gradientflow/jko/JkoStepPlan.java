package org.measureflow.gradientflow.jko;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.parallel.Chunks;
import org.measureflow.gradientflow.energy.GridEnergy;
import org.measureflow.gradientflow.energy.InternalEnergy;
import org.measureflow.gradientflow.energy.PotentialEnergy;
import org.measureflow.ot.sinkhorn.SeparableGibbsKernel;

/**
 * One step of {@link EntropicJko} on one grid for one energy: everything fixed for them (the Gibbs kernel, the
 * cell-wise proximal map, the static potentials, the terms linearised at \( \rho_k \)) and the scaling iterations
 * (see the class comment of {@link EntropicJko}). A flow builds one plan and runs it once per step.
 */
final class JkoStepPlan {
    private final GridDensity.Grid grid;
    private final GridEnergy energy;
    private final SeparableGibbsKernel kernel;
    private final CellProx prox;
    private final double[] staticPotential;
    private final List<GridEnergy> linearised = new ArrayList<>();
    private final int n;
    private final double volume;
    private final double eps;
    private final double tau;
    private final double tolerance;
    private final long maxIterations;
    private final boolean overRelaxation;
    private final boolean parallel;
    private final boolean warmStart;
    /** The relaxation parameter at the end of the last step, the start of the next (warm starts only). */
    private double carriedOmega = 1.0;
    private final EntropicJko scheme;

    JkoStepPlan(EntropicJko scheme, GridDensity.Grid grid, GridEnergy energy) {
        this.scheme = scheme;
        this.grid = grid;
        this.energy = energy;
        this.n = grid.size();
        this.volume = grid.cellVolume();
        this.tau = scheme.tau();
        this.tolerance = scheme.tolerance();
        this.maxIterations = scheme.maxIterations();
        this.overRelaxation = scheme.overRelaxation();
        this.parallel = scheme.parallel();
        this.warmStart = scheme.warmStart();
        double e = scheme.epsilon(grid, energy);
        double sigma = 2 * tau / e;
        double entropy = 0;
        List<InternalEnergy> internal = new ArrayList<>();
        staticPotential = new double[n];
        for (GridEnergy term : energy.terms()) {
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
        if (scheme.blurCompensation() && entropy > 0) {
            entropy -= e / (4 * tau);
        }
        this.eps = e;
        this.kernel = SeparableGibbsKernel.of(grid, e, parallel);
        this.prox = new CellProx(sigma, entropy, internal, volume, scheme.upperBound());
    }

    /** One step from {@code rho}, starting from the scaling {@code b} (cold when all zero), updated in place. */
    JkoStepResult step(GridDensity rho, double[] b, IterationObserver observer) {
        double[] p = rho.values();
        for (int c = 0; c < n; c++) {
            p[c] *= volume;
        }
        double[] v = potential(rho);
        boolean cold = true;
        for (double x : b) {
            if (x != 0) {
                cold = false;
                break;
            }
        }
        if (cold && !(scheme.multiscale() && coarseStart(rho, b))) {
            Arrays.fill(b, 1.0);
        }
        double[] q = new double[n];
        Convergence convergence = scalings(p, v, b, q, observer);
        for (int c = 0; c < n; c++) {
            q[c] /= volume;
        }
        GridDensity next = GridDensity.of(grid, q);
        return new JkoStepResult(next, energy.value(next), convergence);
    }

    /** Cells per axis from which a cold 2-D step starts from the solution at half the resolution. */
    static final int MULTISCALE_CELLS = 128;
    /** The L1 marginal error (relative to the mass) to which the half-resolution step is solved. */
    static final double COARSE_TOLERANCE = 1e-5;

    /**
     * The multiscale start of a cold step on a 2-D grid with even cell counts of at least {@link #MULTISCALE_CELLS}
     * per axis: the same step on the grid of 2 x 2 merged cells (density averaged; the scheme's epsilon resolved
     * there, so grid-adapted epsilon is 4 times larger), solved to {@link #COARSE_TOLERANCE} of the mass (itself
     * from half its resolution when large enough), gives the dual potential \( g = \varepsilon_c\log b_c \) in
     * cost units, interpolated bilinearly between the coarse cell centres: \( b = e^{g/\varepsilon} \). The
     * potential's smooth part, the slowest to converge in the scaling iterations (their rate approaches 1 as the
     * kernel narrows), comes from iterations four times cheaper. Only the start changes, so the fixed point is that
     * of the cold step. Writes {@code b} and returns {@code true}, or returns {@code false} (grid too small or odd,
     * coarse scalings with a zero, or the coarse step left the floating-point range) leaving {@code b} alone.
     */
    private boolean coarseStart(GridDensity rho, double[] b) {
        if (grid.dimension() != 2) {
            return false;
        }
        int nx = grid.cells(0);
        int ny = grid.cells(1);
        if (nx < MULTISCALE_CELLS || ny < MULTISCALE_CELLS || nx % 2 != 0 || ny % 2 != 0) {
            return false;
        }
        int mx = nx / 2;
        int my = ny / 2;
        GridDensity.Grid coarseGrid = GridDensity.Grid.of2d(grid.lower(0), grid.upper(0), mx, grid.lower(1),
                grid.upper(1), my);
        double[] coarse = new double[mx * my];
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                coarse[(i / 2) * my + j / 2] += 0.25 * rho.value(i * ny + j);
            }
        }
        double[] cb = new double[mx * my];
        JkoStepPlan plan;
        try {
            EntropicJko loose = scheme.withTolerance(Math.max(tolerance, COARSE_TOLERANCE * rho.mass()));
            plan = new JkoStepPlan(loose, coarseGrid, energy);
            plan.step(GridDensity.of(coarseGrid, coarse), cb, IterationObserver.none());
        } catch (IllegalArgumentException outOfRange) {
            return false;
        }
        double[] g = new double[mx * my];
        for (int c = 0; c < g.length; c++) {
            if (!(cb[c] > 0) || cb[c] == Double.POSITIVE_INFINITY) {
                return false;
            }
            g[c] = plan.eps * Math.log(cb[c]);
        }
        for (int i = 0; i < nx; i++) {
            // fine centre i sits at coarse coordinate (i - 1/2) / 2 (coarse centres at 0, 1, ...)
            double ti = Math.min(mx - 1.0, Math.max(0.0, (i - 0.5) / 2));
            int i0 = Math.min(mx - 2, (int) ti);
            double wi = ti - i0;
            for (int j = 0; j < ny; j++) {
                double tj = Math.min(my - 1.0, Math.max(0.0, (j - 0.5) / 2));
                int j0 = Math.min(my - 2, (int) tj);
                double wj = tj - j0;
                double v = (1 - wi) * ((1 - wj) * g[i0 * my + j0] + wj * g[i0 * my + j0 + 1])
                        + wi * ((1 - wj) * g[(i0 + 1) * my + j0] + wj * g[(i0 + 1) * my + j0 + 1]);
                b[i * ny + j] = Math.exp(v / eps);
            }
        }
        for (double x : b) {
            if (!(x > 0) || x == Double.POSITIVE_INFINITY) {
                Arrays.fill(b, 0.0);
                return false;
            }
        }
        return true;
    }

    /** The potentials of the step: the static ones plus the first variations of the linearised terms at rho. */
    private double[] potential(GridDensity rho) {
        if (linearised.isEmpty()) {
            return staticPotential;
        }
        double[] v = staticPotential.clone();
        for (GridEnergy term : linearised) {
            double[] fv = term.firstVariation(rho);
            for (int c = 0; c < n; c++) {
                if (!Double.isFinite(fv[c])) {
                    // a rule on a value the energy computes, not on an argument as given: Arguments cannot state it
                    throw new IllegalArgumentException("energy: the first variation of " + term
                            + " is not finite at cell " + c + ": " + fv[c]);
                }
                v[c] += fv[c];
            }
        }
        return v;
    }

    /** Cells per chunk of the cell-wise sweeps (fixed: serial and parallel runs give the same bits). */
    private static final int CHUNK = 4096;

    /**
     * The scaling iterations from {@code b} for the masses {@code p} and potentials {@code pot}; writes the
     * second marginal (masses) into {@code q}. Over-relaxed (see {@link OverRelaxation}) when the scheme says so;
     * the returned plan is always one right after a plain {@code a}-update (exact first marginal): a check
     * iteration, or, when the observer stops the iterations after a relaxed one, one more plain half-iteration
     * (not counted, not observed).
     */
    private Convergence scalings(double[] p, double[] pot, double[] b, double[] q, IterationObserver observer) {
        Sweeps sweeps = new Sweeps(p, pot, b, q);
        OverRelaxation relax = new OverRelaxation(overRelaxation, warmStart ? carriedOmega : 1.0);
        double[] saved = b.clone();
        long iterations = 0;
        double error = Double.POSITIVE_INFINITY;
        boolean stopped = false;
        while (iterations < maxIterations) {
            boolean check = relax.check(iterations + 1 == maxIterations);
            double omega = relax.omega();
            error = sweeps.iterate(check ? 1.0 : omega, omega);
            if (Double.isNaN(error)) {
                if (omega == 1) {
                    throw sweeps.outOfRange();
                }
                // relaxed steps overshot out of the floating-point range: back to the scaling of the last check,
                // plain iterations from there on (this iteration is not counted)
                System.arraycopy(saved, 0, b, 0, n);
                sweeps.forgetGuesses();
                relax.stop();
                continue;
            }
            iterations++;
            if (relax.update(error, check)) {
                // the relaxed iterations since the last check went astray: back to its scaling
                System.arraycopy(saved, 0, b, 0, n);
            } else if (check) {
                System.arraycopy(b, 0, saved, 0, n);
            }
            boolean go = observer.observe(new IterationStatus(iterations, error, Double.NaN));
            if (check && error <= tolerance) {
                break;
            }
            if (!go) {
                stopped = true;
                if (!check) {
                    error = sweeps.iterate(1.0, 1.0);
                    if (Double.isNaN(error)) {
                        throw sweeps.outOfRange();
                    }
                }
                break;
            }
        }
        carriedOmega = relax.omega();
        return Convergence.tested(iterations, error, tolerance, stopped);
    }

    /** The work arrays and the two updates of one scaling iteration. */
    private final class Sweeps {
        private final double[] p;
        private final double[] pot;
        private final double[] b;
        private final double[] q;
        private final double[] kb = new double[n];
        private final double[] a = new double[n];
        private final double[] z = new double[n];
        private final double[] work = new double[n];
        /** Per cell, the last root \( u = \log q_c \) of the proximal map (NaN before the first): Newton's start. */
        private final double[] guess = new double[n];
        private final double[] partial = new double[Chunks.count(n, CHUNK)];
        /** Per chunk, the first cell whose {@code K b} left the floating-point range (-1: none). */
        private final int[] bad = new int[Chunks.count(n, CHUNK)];

        Sweeps(double[] p, double[] pot, double[] b, double[] q) {
            this.p = p;
            this.pot = pot;
            this.b = b;
            this.q = q;
            forgetGuesses();
        }

        /** Newton's starts back to the default ones (after a failed iteration). */
        void forgetGuesses() {
            Arrays.fill(guess, Double.NaN);
        }

        /** The first cell whose {@code K b} left the range in the last failed iteration (-1: the error did). */
        private int badCell;
        private double badError;

        /** The rejection of an {@code epsilon} too small for {@code tau}, after a failed plain iteration. */
        IllegalArgumentException outOfRange() {
            String what = badCell >= 0 ? " at cell " + badCell
                    + " (dual potentials grow like |x|^2 / epsilon and like tau times the energy)"
                    : " (marginal error " + badError + ")";
            return new IllegalArgumentException("epsilon = " + eps + " does not suit tau = " + tau
                    + " on this grid: the scalings left the floating-point range" + what
                    + "; raise epsilon, or take the grid-adapted one");
        }

        /**
         * One iteration: \( a \) relaxed by {@code omegaA}, \( b \) by {@code omegaB} (1: plain); returns the L1
         * marginal error of the plan \( (a, b_{\mathrm{old}}) \), whose second marginal it writes into {@code q};
         * NaN when the scalings left the floating-point range ({@link #outOfRange()} says where).
         */
        double iterate(double omegaA, double omegaB) {
            kernel.apply(b, kb, work);
            forEach((chunk, start, end) -> {
                int first = -1;
                for (int c = start; c < end; c++) {
                    double pc = p[c];
                    if (pc > 0) {
                        double k = kb[c];
                        if (!(k > 0)) {
                            first = first < 0 ? c : first;
                            continue;
                        }
                        double ac = a[c];
                        a[c] = omegaA == 1.0 || !(ac > 0) ? pc / k : relaxed(ac, pc / (ac * k), omegaA);
                    } else {
                        a[c] = 0.0;
                    }
                }
                bad[chunk] = first;
            });
            for (int cell : bad) {
                if (cell >= 0) {
                    badCell = cell;
                    return Double.NaN;
                }
            }
            kernel.apply(a, z, work);
            forEach((chunk, start, end) -> {
                double s = 0;
                for (int c = start; c < end; c++) {
                    double zc = z[c];
                    double current = b[c] * zc;
                    q[c] = current;
                    if (!(zc > 0)) {
                        b[c] = 0.0;
                        continue;
                    }
                    double target = prox.solve(Math.log(zc), pot[c], guess, c);
                    s += Math.abs(current - target);
                    b[c] = omegaB == 1.0 || !(current > 0) ? target / zc : relaxed(b[c], target / current, omegaB);
                }
                partial[chunk] = s;
            });
            double error = 0;
            for (double s : partial) {
                error += s;
            }
            if (!Double.isFinite(error)) {
                badCell = -1;
                badError = error;
                return Double.NaN;
            }
            return error;
        }
    }

    /** Ratios within this distance of 1 are relaxed to first order (see {@link #relaxed}). */
    static final double LINEAR_RELAXATION = 0.25;

    /**
     * The relaxed scaling \( s\,r^\omega \) (log-domain relaxation \( \log s + \omega\log r \) towards the
     * plain update \( s r \)), to first order \( s(1 + \omega(r - 1)) \) when \( |r - 1| \le \)
     * {@link #LINEAR_RELAXATION}: the same fixed points (\( r = 1 \)) and the same linearisation there, hence the
     * same asymptotic rate, without an exponential and a logarithm per cell; the factor stays in \( [1/2, 3/2] \)
     * for \( \omega \le 2 \), so the scaling keeps its sign.
     */
    static double relaxed(double s, double r, double omega) {
        double d = r - 1;
        return Math.abs(d) <= LINEAR_RELAXATION ? s * (1 + omega * d) : s * Math.exp(omega * Math.log(r));
    }

    /** Runs the chunks of the cell-wise sweeps, on both cores when the plan is parallel (same bits either way). */
    private void forEach(Chunks.Body body) {
        if (parallel) {
            Chunks.forEach(n, CHUNK, 40, body);
        } else {
            int chunks = Chunks.count(n, CHUNK);
            for (int c = 0; c < chunks; c++) {
                body.run(c, c * CHUNK, Math.min(n, (c + 1) * CHUNK));
            }
        }
    }
}
